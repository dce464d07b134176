import type { EmbeddingProvider } from '../embedding-provider.js';
import { l2Normalize } from '../vectors.js';
import { fnv1a32, mix32 } from './hash.js';
import { tokenize, weightedFeatures } from './features.js';

export interface LocalHashedEmbedderOptions {
  /** Vector length; default 256. More dimensions, fewer hash collisions. */
  readonly dimension?: number;
}

/**
 * The built-in embedder: no network, no model. A lexical embedder: texts are close when they
 * share words, word pairs or word pieces (see weightedFeatures), with no notion of meaning beyond
 * that: "car" and "automobile" are unrelated to it. Each feature is hashed into one of `dimension`
 * buckets with a hashed sign, so collisions cancel out on average instead of piling up (the
 * hashing trick); the vector is then L2-normalized. A text without words gets the zero vector.
 * Deterministic across processes and machines.
 */
export class LocalHashedEmbedder implements EmbeddingProvider {
  readonly name = 'local-hashed-v1';
  readonly dimension: number;

  constructor(options: LocalHashedEmbedderOptions = {}) {
    this.dimension = options.dimension ?? 256;
    if (!Number.isInteger(this.dimension) || this.dimension < 2 || this.dimension > 65_536) {
      throw new RangeError(`dimension must be an integer from 2 to 65536, got ${this.dimension}`);
    }
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): Float32Array {
    const sums = new Float64Array(this.dimension);
    for (const [feature, weight] of weightedFeatures(tokenize(text))) {
      const hash = mix32(fnv1a32(feature));
      sums[hash % this.dimension]! += hash >>> 31 === 1 ? -weight : weight;
    }
    return l2Normalize(sums);
  }
}
