import { ContractViolationError, VectorSetSwitchedError } from '@genstream/errors';
import { pipelineReplies, redisCommand, redisFailure } from '@genstream/service/redis';
import type { ChainableCommander, Redis } from 'ioredis';
import { toFp32Blob, vectorProblem } from './fp32-blob.js';
import { filterExpression, type SearchFilter } from './search-filter.js';
import { VectorSetNames, type VectorSetTarget } from './vector-set-names.js';

/** JSON attributes stored with each element, for FILTER and for display. */
export interface VectorAttributes {
  readonly userId: number;
  readonly model: string;
  /** Epoch milliseconds. */
  readonly generatedAt: number;
  readonly title: string;
  /** The request's tenant; search with a credential filters on it. Null: no tenant. */
  readonly tenant: string | null;
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
  /** The set to search, without REDIS_KEY_PREFIX (the alias's); default the repository's own. */
  readonly vectorSet?: string;
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

const GUARDED_ADD = 'genstreamGuardedVadd';
/** What the guarded add answers for an item it did not write: the alias had moved. */
const MOVED = 'moved';
// KEYS: alias, set, hydration hash. ARGV: the alias's set as read ('' for none), blob, element,
// quantization, attributes, title, output. A refused VADD (dimension mismatch) is answered as
// its error, as in a pipeline.
const GUARDED_ADD_LUA = `
if (redis.call('HGET', KEYS[1], 'set') or '') ~= ARGV[1] then return '${MOVED}' end
local added = redis.pcall('VADD', KEYS[2], 'FP32', ARGV[2], ARGV[3], ARGV[4], 'SETATTR', ARGV[5])
if type(added) == 'table' and added.err then return added end
redis.call('HSET', KEYS[3], 'title', ARGV[6], 'output', ARGV[7])
return added`;

type GuardedAddCommands = Record<typeof GUARDED_ADD, (...args: (string | Buffer)[]) => unknown>;

/**
 * Content embeddings in a Redis 8 vector set, plus one hash per content
 * (`genstream:vs:doc:{contentId}`: title, output) so search results are complete from Redis alone.
 */
export class VectorIndexRepository {
  private readonly prefix: string;
  private readonly vectorSet: string;
  private readonly aliasKey: string;
  private readonly docPrefix: string;
  private readonly quantization: Quantization;

  constructor(
    private readonly redis: Redis,
    options: VectorIndexOptions = {},
  ) {
    const prefix = options.keyPrefix ?? '';
    this.prefix = prefix;
    this.vectorSet = `${prefix}${options.vectorSet ?? DEFAULT_VECTOR_SET}`;
    this.aliasKey = `${prefix}${new VectorSetNames(options.vectorSet ?? DEFAULT_VECTOR_SET).alias}`;
    this.docPrefix = `${prefix}genstream:vs:doc:`;
    this.quantization = options.quantization ?? 'Q8';
    redis.defineCommand(GUARDED_ADD, { numberOfKeys: 3, lua: GUARDED_ADD_LUA });
  }

  /** Key of the hydration hash of a content. */
  docKey(contentId: string): string {
    return `${this.docPrefix}${contentId}`;
  }

  /**
   * Adds (or replaces) every item in ONE pipeline: VADD with its attributes, and its hydration
   * hash. Throws StoreUnavailableError when Redis cannot take the batch (or the set was created
   * with another quantization: a configuration fault, retried rather than dead-lettering all).
   * Without `target` into the repository's own set; with it, into the target's set while the
   * alias (of the repository's set) still names it, else VectorSetSwitchedError (retriable).
   */
  async addBatch(items: readonly VectorItem[], target?: VectorSetTarget): Promise<AddBatchResult> {
    const failed: { contentId: string; error: ContractViolationError }[] = [];
    const valid: VectorItem[] = [];
    for (const item of items) {
      const problem = vectorProblem(item.vector);
      if (problem === undefined) valid.push(item);
      else failed.push({ contentId: item.contentId, error: refused(item.contentId, problem) });
    }
    if (valid.length === 0) return { added: 0, updated: 0, failed };

    const pipeline = this.redis.pipeline();
    if (target === undefined) this.queuePlainAdds(pipeline, valid);
    else this.queueGuardedAdds(pipeline, valid, target);
    const replies = await pipelineReplies(pipeline, 'add vectors');
    const perItem = target === undefined ? 2 : 1;

    let added = 0;
    let updated = 0;
    let moved = false;
    valid.forEach((item, i) => {
      const [vaddError, vaddReply] = replies[perItem * i]!;
      if (vaddError !== null) {
        if (!/dimension mismatch/i.test(vaddError.message)) throw redisFailure(vaddError, 'add vectors');
        // Its hydration hash may have been written: harmless, and overwritten if it comes back.
        failed.push({ contentId: item.contentId, error: refused(item.contentId, vaddError.message) });
        return;
      }
      if (perItem === 2 && replies[2 * i + 1]![0] !== null)
        throw redisFailure(replies[2 * i + 1]![0], 'add vectors');
      if (vaddReply === MOVED) moved = true;
      else if (vaddReply === 1 || vaddReply === true) added++;
      else updated++;
    });
    if (moved && target !== undefined) {
      throw new VectorSetSwitchedError(
        `the vector set alias no longer names ${target.set}: the batch is retried into the set it names now`,
      );
    }
    return { added, updated, failed };
  }

  /** VADD and HSET of each item into the repository's own set (a reindex's, which only it builds). */
  private queuePlainAdds(pipeline: ChainableCommander, items: readonly VectorItem[]): void {
    for (const item of items) {
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
  }

  /**
   * Each item as one small script that writes only while the alias still names `target`: once a
   * reindex switches the alias, nothing more lands in the set it is about to drop. One script per
   * item rather than one per batch, so Redis serves other clients between two VADDs.
   */
  private queueGuardedAdds(
    pipeline: ChainableCommander,
    items: readonly VectorItem[],
    target: VectorSetTarget,
  ): void {
    const set = `${this.prefix}${target.set}`;
    for (const item of items) {
      (pipeline as unknown as GuardedAddCommands)[GUARDED_ADD](
        this.aliasKey,
        set,
        this.docKey(item.contentId),
        target.aliased ? target.set : '',
        toFp32Blob(item.vector),
        item.contentId,
        this.quantization,
        JSON.stringify(item.attributes),
        item.attributes.title,
        item.output,
      );
    }
  }

  /**
   * The `k` elements most similar to `vector`, best first, optionally only those of a user and/or
   * a model, hydrated in a second round trip.
   */
  async search(vector: Float32Array, options: SearchOptions): Promise<SearchHit[]> {
    const vectorSet = options.vectorSet === undefined ? this.vectorSet : `${this.prefix}${options.vectorSet}`;
    if (!Number.isSafeInteger(options.k) || options.k <= 0)
      throw new RangeError(`k must be positive, not ${options.k}`);
    const problem = vectorProblem(vector);
    if (problem !== undefined) throw new RangeError(`cannot search with this vector: ${problem}`);
    const filter = filterExpression(options);
    const args: (string | number | Buffer)[] = ['FP32', toFp32Blob(vector), 'WITHSCORES', 'COUNT', options.k];
    if (filter !== undefined) args.push('FILTER', filter);

    let reply: unknown;
    try {
      reply = await this.redis.vsim(vectorSet, ...args);
    } catch (error) {
      if (error instanceof Error && /dimension mismatch/i.test(error.message)) {
        throw new RangeError(`cannot search ${vectorSet}: ${error.message}`, { cause: error });
      }
      throw redisFailure(error, 'search');
    }
    const scored = scoredElements(reply);
    if (scored.length === 0) return [];

    const pipeline = this.redis.pipeline();
    for (const [contentId] of scored) {
      pipeline.vgetattr(vectorSet, contentId);
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

  /** Number of elements in the repository's own set (VCARD); 0 when it does not exist. */
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
