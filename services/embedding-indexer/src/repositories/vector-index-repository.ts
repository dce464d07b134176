import { ContractViolationError } from '@genstream/errors';
import { pipelineReplies, redisCommand, redisFailure } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import { toFp32Blob, vectorProblem } from './fp32-blob.js';
import { filterExpression, type SearchFilter } from './search-filter.js';

/** JSON attributes stored with each element, for FILTER and for display. */
export interface VectorAttributes {
  readonly userId: number;
  readonly model: string;
  /** Epoch milliseconds. */
  readonly generatedAt: number;
  readonly title: string;
}

export interface VectorItem {
  /** The element name: one element per content, so adding it again replaces it. */
  readonly contentId: string;
  readonly vector: Float32Array;
  readonly attributes: VectorAttributes;
  /** The generated text, kept beside the vector so search results need no other store. */
  readonly output: string;
}

export interface AddBatchResult {
  /** Elements new to the set. */
  readonly added: number;
  /** Elements already there, now with the new vector and attributes. */
  readonly updated: number;
  /** Items refused for good (bad vector, dimension other than the set's); the rest were written. */
  readonly failed: readonly { readonly contentId: string; readonly error: ContractViolationError }[];
}

export interface SearchOptions extends SearchFilter {
  /** How many results at most. */
  readonly k: number;
}

export interface SearchHit {
  readonly contentId: string;
  /** Cosine similarity mapped to 0..1 (1: same direction). */
  readonly score: number;
  /** From the hydration hash; null if it is gone. */
  readonly title: string | null;
  readonly output: string | null;
  /** The element's JSON attributes; null if it has none. */
  readonly attributes: VectorAttributes | null;
}

/**
 * Q8 (the Redis default, written out because the first VADD fixes it for the set and every later
 * VADD must ask for the same): a quarter of FP32's memory and faster comparisons, for a ranking
 * difference far below the noise of the embeddings themselves. NOQUANT only when exact scores
 * matter (e.g. thresholds near 1); BIN when memory matters most.
 */
export type Quantization = 'Q8' | 'NOQUANT' | 'BIN';

export interface VectorIndexOptions {
  /** Put before every key; default ''. Tests isolate themselves with it. */
  readonly keyPrefix?: string;
  /** Default `genstream:vs:content` (DESIGN.md section 2). */
  readonly vectorSet?: string;
  /** Default Q8. */
  readonly quantization?: Quantization;
}

export const DEFAULT_VECTOR_SET = 'genstream:vs:content';

/**
 * Content embeddings in a Redis 8 vector set, plus one hash per content
 * (`genstream:vs:doc:{contentId}`: title, output) so search results are complete from Redis alone.
 */
export class VectorIndexRepository {
  private readonly vectorSet: string;
  private readonly docPrefix: string;
  private readonly quantization: Quantization;

  constructor(
    private readonly redis: Redis,
    options: VectorIndexOptions = {},
  ) {
    const prefix = options.keyPrefix ?? '';
    this.vectorSet = `${prefix}${options.vectorSet ?? DEFAULT_VECTOR_SET}`;
    this.docPrefix = `${prefix}genstream:vs:doc:`;
    this.quantization = options.quantization ?? 'Q8';
  }

  /** Key of the hydration hash of a content. */
  docKey(contentId: string): string {
    return `${this.docPrefix}${contentId}`;
  }

  /**
   * Adds (or replaces) every item in ONE pipeline: VADD with its attributes, and its hydration
   * hash. Throws StoreUnavailableError when Redis cannot take the batch (or the set was created
   * with another quantization: a configuration fault, retried rather than dead-lettering all).
   */
  async addBatch(items: readonly VectorItem[]): Promise<AddBatchResult> {
    const failed: { contentId: string; error: ContractViolationError }[] = [];
    const valid: VectorItem[] = [];
    for (const item of items) {
      const problem = vectorProblem(item.vector);
      if (problem === undefined) valid.push(item);
      else failed.push({ contentId: item.contentId, error: refused(item.contentId, problem) });
    }
    if (valid.length === 0) return { added: 0, updated: 0, failed };

    const pipeline = this.redis.pipeline();
    for (const item of valid) {
      pipeline.vadd(
        this.vectorSet,
        'FP32',
        toFp32Blob(item.vector),
        item.contentId,
        this.quantization,
        'SETATTR',
        JSON.stringify(item.attributes),
      );
      pipeline.hset(this.docKey(item.contentId), 'title', item.attributes.title, 'output', item.output);
    }
    const replies = await pipelineReplies(pipeline, 'add vectors');

    let added = 0;
    let updated = 0;
    valid.forEach((item, i) => {
      const [vaddError, vaddReply] = replies[2 * i]!;
      const [hsetError] = replies[2 * i + 1]!;
      if (vaddError !== null) {
        if (!/dimension mismatch/i.test(vaddError.message)) throw redisFailure(vaddError, 'add vectors');
        // Its hydration hash may have been written: harmless, and overwritten if it comes back.
        failed.push({ contentId: item.contentId, error: refused(item.contentId, vaddError.message) });
        return;
      }
      if (hsetError !== null) throw redisFailure(hsetError, 'add vectors');
      if (vaddReply === 1 || vaddReply === true) added++;
      else updated++;
    });
    return { added, updated, failed };
  }

  /**
   * The `k` elements most similar to `vector`, best first, optionally only those of a user and/or
   * a model, hydrated in a second round trip.
   */
  async search(vector: Float32Array, options: SearchOptions): Promise<SearchHit[]> {
    if (!Number.isSafeInteger(options.k) || options.k <= 0)
      throw new RangeError(`k must be positive, not ${options.k}`);
    const problem = vectorProblem(vector);
    if (problem !== undefined) throw new RangeError(`cannot search with this vector: ${problem}`);
    const filter = filterExpression(options);
    const args: (string | number | Buffer)[] = ['FP32', toFp32Blob(vector), 'WITHSCORES', 'COUNT', options.k];
    if (filter !== undefined) args.push('FILTER', filter);

    let reply: unknown;
    try {
      reply = await this.redis.vsim(this.vectorSet, ...args);
    } catch (error) {
      if (error instanceof Error && /dimension mismatch/i.test(error.message)) {
        throw new RangeError(`cannot search ${this.vectorSet}: ${error.message}`, { cause: error });
      }
      throw redisFailure(error, 'search');
    }
    const scored = scoredElements(reply);
    if (scored.length === 0) return [];

    const pipeline = this.redis.pipeline();
    for (const [contentId] of scored) {
      pipeline.vgetattr(this.vectorSet, contentId);
      pipeline.hmget(this.docKey(contentId), 'title', 'output');
    }
    const replies = await pipelineReplies(pipeline, 'hydrate search results');
    return scored.map(([contentId, score], i) => {
      const [attributesError, attributes] = replies[2 * i]!;
      const [docError, doc] = replies[2 * i + 1]!;
      if (attributesError !== null || docError !== null)
        throw redisFailure(attributesError ?? docError, 'hydrate');
      const [title, output] = (doc as (string | null)[] | null) ?? [null, null];
      return {
        contentId,
        score,
        title: title ?? null,
        output: output ?? null,
        attributes: parseAttributes(attributes),
      };
    });
  }

  /** Number of elements in the set (VCARD); 0 when it does not exist. */
  async count(): Promise<number> {
    return redisCommand('count', () => this.redis.vcard(this.vectorSet));
  }
}

/** VSIM ... WITHSCORES answers a flat [element, score, ...] list (RESP2 shape) or a map (RESP3). */
function scoredElements(reply: unknown): [string, number][] {
  if (Array.isArray(reply)) {
    const pairs: [string, number][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), Number(reply[i + 1])]);
    return pairs;
  }
  if (reply !== null && typeof reply === 'object') {
    return Object.entries(reply).map(([element, score]) => [element, Number(score)]);
  }
  return [];
}

function parseAttributes(reply: unknown): VectorAttributes | null {
  if (typeof reply !== 'string') return null;
  try {
    return JSON.parse(reply) as VectorAttributes;
  } catch {
    return null;
  }
}

function refused(contentId: string, problem: string): ContractViolationError {
  return new ContractViolationError(`vector of content ${contentId} cannot be indexed: ${problem}`, {
    details: { contentId, store: 'redis-vector-set' },
  });
}
