/**
 * Turns texts into vectors, a batch at a time (one call per batch of records). Vectors from
 * providers with different names or dimensions live in different spaces and must not be compared.
 */
export interface EmbeddingProvider {
  /** Names the vector space, e.g. `local-hashed-v1` or `openai:text-embedding-3-small`. */
  readonly name: string;
  /** Length of every vector this provider returns. */
  readonly dimension: number;
  /**
   * One vector per text, in input order. Failures are GenstreamErrors: retriable ones (provider
   * down, timeout) may succeed later; the others never will.
   */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
