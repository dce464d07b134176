// The stored vectors and the queries: real embeddings of synthetic topical texts, so that they have
// the cluster structure of real content. Uniform random unit vectors in 256 dimensions have none,
// and an HNSW graph over them inserts several times slower and answers differently.
import { randomUUID } from 'node:crypto';
import { LocalHashedEmbedder } from '@genstream/embeddings';
import type { Say } from '../runner/progress.js';
import type { SyntheticCorpus } from '../synthetic-corpus.js';
import { DIMENSION, type QueryKind } from './results.js';

const PERTURBATION = 0.03; // per-component noise sigma on unit vectors: cosine to the original ≈ 0.9
const EMBED_CHUNK = 5_000;

/** N embedded texts, row i of `matrix` named names[i], with the attributes the indexer would set. */
export interface StoredVectors {
  readonly count: number;
  readonly matrix: Float32Array;
  readonly names: readonly string[];
  readonly attributes: readonly string[];
  readonly embedSeconds: number;
}

export interface Query {
  readonly vector: Float32Array;
  readonly kind: QueryKind;
}

const embedder = new LocalHashedEmbedder({ dimension: DIMENSION });

export function row(vectors: StoredVectors, i: number): Float32Array {
  return vectors.matrix.subarray(i * DIMENSION, (i + 1) * DIMENSION);
}

/** Embedded once here, timed on its own: never part of VADD/s. */
export async function embedStoredVectors(
  n: number,
  corpus: SyntheticCorpus,
  say: Say,
  signal?: AbortSignal,
): Promise<StoredVectors> {
  say(
    `embedding ${n.toLocaleString('en-US')} synthetic texts with LocalHashedEmbedder (${DIMENSION} dimensions)`,
  );
  const matrix = new Float32Array(n * DIMENSION);
  const names: string[] = [];
  const attributes: string[] = [];
  const started = performance.now();
  for (let start = 0; start < n; start += EMBED_CHUNK) {
    signal?.throwIfAborted();
    const texts: string[] = [];
    for (let i = start; i < Math.min(n, start + EMBED_CHUNK); i++) {
      const title = corpus.title();
      texts.push(`${title}\n${corpus.text()}`);
      names.push(randomUUID());
      attributes.push(
        JSON.stringify({
          userId: 1 + Math.floor(corpus.random() * 50_000),
          model: 'local-extractive-v1',
          generatedAt: Date.now(),
          title,
        }),
      );
    }
    const vectors = await embedder.embed(texts);
    vectors.forEach((vector, i) => matrix.set(vector, (start + i) * DIMENSION));
  }
  const embedSeconds = (performance.now() - started) / 1000;
  say(
    `embedded in ${embedSeconds.toFixed(1)} s (${Math.round(n / embedSeconds).toLocaleString('en-US')} texts/s)`,
  );
  return { count: n, matrix, names, attributes, embedSeconds };
}

/**
 * Perturbed copies of stored vectors (a near-duplicate is asked for) and fresh texts from the same
 * corpus (a new question about a known topic), half each.
 */
export async function makeQueries(
  stored: StoredVectors,
  count: number,
  corpus: SyntheticCorpus,
): Promise<Query[]> {
  const perturbedCount = Math.ceil(count / 2);
  const queries: Query[] = [];
  for (let q = 0; q < perturbedCount; q++) {
    const source = row(stored, Math.floor(corpus.random() * stored.count));
    const noisy = new Float32Array(DIMENSION);
    for (let d = 0; d < DIMENSION; d++) noisy[d] = source[d]! + PERTURBATION * corpus.gaussian();
    queries.push({ vector: normalized(noisy), kind: 'perturbed' });
  }
  const freshTexts = Array.from(
    { length: count - perturbedCount },
    () => `${corpus.title()}\n${corpus.text()}`,
  );
  for (const vector of await embedder.embed(freshTexts)) queries.push({ vector, kind: 'fresh' });
  return queries;
}

export function fp32Blob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = 1 / Math.sqrt(norm);
  return vector.map((value) => value * scale);
}
