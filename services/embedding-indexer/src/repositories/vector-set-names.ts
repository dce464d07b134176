// The names of the versioned vector sets and of the keys that say which one search reads. Version
// 1 is VECTOR_SET itself, the set genstream wrote before any reindex, so a system that was never
// reindexed keeps its key; each reindex builds `<VECTOR_SET>:v<N>` with the next free N.

/** Which vector set search and the live indexer use, as the alias records it. */
export interface VectorSetTarget {
  /** The set's name, without REDIS_KEY_PREFIX (e.g. `genstream:vs:content:v2`). */
  readonly set: string;
  readonly version: number;
  /**
   * The embedder that built it: its name (EmbeddingProvider.name), dimension and the reindex's
   * `--embedder` spec. Absent for VECTOR_SET with no alias: built by the configured embedder.
   */
  readonly embedder?: { readonly name: string; readonly dimension: number; readonly spec: string };
  /** False when no alias exists (VECTOR_SET, as before any reindex). */
  readonly aliased: boolean;
}

/** Every key name derived from VECTOR_SET; none carries REDIS_KEY_PREFIX (the repositories add it). */
export class VectorSetNames {
  constructor(readonly base: string) {}

  /** A hash: set, version, embedder, dimension, spec, switchedAt. */
  get alias(): string {
    return `${this.base}:alias`;
  }

  /** The last version handed out (a counter; 1 before any reindex). */
  get version(): string {
    return `${this.base}:version`;
  }

  /** The reindex in progress, if any (JSON), so a crashed one resumes into its own version. */
  get reindex(): string {
    return `${this.base}:reindex`;
  }

  /** The set of version `n`: VECTOR_SET itself for 1. */
  setOf(version: number): string {
    if (!Number.isSafeInteger(version) || version < 1)
      throw new RangeError(`a vector set version is a positive integer, not ${version}`);
    return version === 1 ? this.base : `${this.base}:v${version}`;
  }

  /** The consumer group of the reindex into `version` (TOPIC_PREFIX before it). */
  static groupOf(topicPrefix: string, version: number): string {
    return `${topicPrefix}genstream.reindex.v${version}`;
  }

  /** The target without an alias: VECTOR_SET, version 1, the configured embedder. */
  get unaliased(): VectorSetTarget {
    return { set: this.base, version: 1, aliased: false };
  }

  /** The alias hash as HGETALL answers it, or the unaliased target when it is empty or unreadable. */
  targetOf(fields: Readonly<Record<string, string>>): VectorSetTarget {
    const version = Number(fields.version);
    const dimension = Number(fields.dimension);
    if (!fields.set || !Number.isSafeInteger(version)) return this.unaliased;
    return {
      set: fields.set,
      version,
      aliased: true,
      ...(fields.embedder && Number.isSafeInteger(dimension)
        ? { embedder: { name: fields.embedder, dimension, spec: fields.spec ?? fields.embedder } }
        : {}),
    };
  }
}
