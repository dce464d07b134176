import { ProviderRejectedError } from '@genstream/errors';
import { JsonPostClient, type HttpClientOptions } from '@genstream/llm';
import type { EmbeddingProvider } from '../embedding-provider.js';

export interface OpenAiEmbeddingProviderOptions extends HttpClientOptions {
  /** The API root, e.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1` (Ollama). */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** E.g. `text-embedding-3-small`, `nomic-embed-text`. */
  readonly model: string;
  /**
   * Length of the vectors; learned from the first answer when not set. Answers of any other
   * length are rejected, as they would not fit the index.
   */
  readonly dimension?: number;
  /** Most texts per request; a larger batch goes out as several requests. Default 128. */
  readonly maxBatchSize?: number;
  /** Prefix of `name`; default `openai`. */
  readonly name?: string;
}

interface EmbeddingList {
  data?: { index?: unknown; embedding?: unknown }[];
}

/**
 * Any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, Ollama, LM Studio), through the same
 * retrying, rate-limited client as the chat provider. Blank texts are not sent (some servers
 * reject them): they get the zero vector, as with the local embedder.
 */
export class OpenAiEmbeddingProvider implements EmbeddingProvider {
  readonly name: string;
  private readonly client: JsonPostClient;
  private readonly model: string;
  private readonly maxBatchSize: number;
  private knownDimension: number | undefined;
  private probe: Promise<number> | undefined;

  constructor(options: OpenAiEmbeddingProviderOptions) {
    this.model = options.model;
    this.name = `${options.name ?? 'openai'}:${options.model}`;
    this.client = new JsonPostClient({ ...options, label: `${this.name} embeddings` });
    this.maxBatchSize = options.maxBatchSize ?? 128;
    this.knownDimension = options.dimension;
    for (const [option, value] of [
      ['maxBatchSize', this.maxBatchSize],
      ['dimension', this.knownDimension ?? 1],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`${option} must be a positive integer, got ${value}`);
      }
    }
  }

  /** Configured or learned from the first answer; before either, use resolveDimension. */
  get dimension(): number {
    if (this.knownDimension === undefined) {
      throw new Error(
        `the dimension of ${this.name} is not known before its first answer: await resolveDimension()`,
      );
    }
    return this.knownDimension;
  }

  /** The dimension, asking the endpoint once (embedding a short probe text) if it is not known yet. */
  resolveDimension(): Promise<number> {
    if (this.knownDimension !== undefined) return Promise.resolve(this.knownDimension);
    this.probe ??= this.request(['dimension probe'], undefined).then(
      ([vector]) => vector!.length,
      (error: unknown) => {
        this.probe = undefined; // a failed probe is asked again next time
        throw error;
      },
    );
    return this.probe;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const sent = texts.flatMap((text, index) => (text.trim() === '' ? [] : [index]));
    const batches: number[][] = [];
    for (let start = 0; start < sent.length; start += this.maxBatchSize) {
      batches.push(sent.slice(start, start + this.maxBatchSize));
    }
    // When one batch fails the others are cancelled: the caller retries the whole call anyway.
    const cancel = new AbortController();
    const answers = await Promise.all(
      batches.map((batch) =>
        this.request(
          batch.map((index) => texts[index]!),
          cancel.signal,
        ).catch((error: unknown) => {
          cancel.abort(error);
          throw error;
        }),
      ),
    );
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    answers.flat().forEach((vector, k) => (vectors[sent[k]!] = vector));
    if (sent.length < texts.length) {
      const dimension = await this.resolveDimension();
      for (let i = 0; i < texts.length; i++) vectors[i] ??= new Float32Array(dimension);
    }
    return vectors;
  }

  private async request(input: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const answer = (await this.client.post(
      '/embeddings',
      { model: this.model, input },
      signal,
    )) as EmbeddingList;
    const reject = (problem: string) =>
      new ProviderRejectedError(`${this.name} embeddings at ${this.client.baseUrl} ${problem}`, {
        details: { model: this.model },
      });
    if (!Array.isArray(answer.data) || answer.data.length !== input.length) {
      throw reject(
        `answered ${Array.isArray(answer.data) ? answer.data.length : 'no'} vectors for ${input.length} texts`,
      );
    }
    // The API promises each vector's index, not the order of the list.
    const vectors: Float32Array[] = new Array<Float32Array>(input.length);
    for (const item of answer.data) {
      const { index, embedding } = item;
      if (
        typeof index !== 'number' ||
        !Number.isInteger(index) ||
        index < 0 ||
        index >= input.length ||
        vectors[index]
      ) {
        throw reject(`answered a vector with a missing, repeated or out-of-range index (${String(index)})`);
      }
      if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw reject(`answered vector ${index} that is not a list of numbers`);
      }
      const expected = this.knownDimension ?? embedding.length;
      if (embedding.length !== expected || expected === 0) {
        throw reject(`answered a vector of ${embedding.length} dimensions where ${expected} were expected`);
      }
      this.knownDimension = expected;
      vectors[index] = Float32Array.from(embedding as number[]);
    }
    return vectors;
  }
}
