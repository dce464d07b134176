import { EmbedderConflictError } from '@genstream/errors';
import type { PartitionEnd } from '@genstream/kafka';
import type { StoredReindex } from '../repositories/vector-set-alias.repository.js';
import { VectorSetNames, type VectorSetTarget } from '../repositories/vector-set-names.js';

/** The embedder a run uses: its canonical spec, name and dimension. */
export interface ReindexEmbedder {
  readonly spec: string;
  readonly name: string;
  readonly dimension: number;
}

/**
 * The reindex recorded in Redis when it was built by the same embedder (resume it), undefined
 * when none is recorded (begin one); EmbedderConflictError when one of another embedder is: two
 * embedders' vectors must never meet in one set, and only one reindex runs at a time.
 */
export function resumable(
  stored: StoredReindex | undefined,
  embedder: ReindexEmbedder,
): StoredReindex | undefined {
  if (stored === undefined) return undefined;
  const same =
    stored.spec === embedder.spec &&
    stored.embedder.name === embedder.name &&
    stored.embedder.dimension === embedder.dimension;
  if (same) return stored;
  throw new EmbedderConflictError(
    `a reindex into ${stored.set} (version ${stored.version}) with --embedder ${stored.spec} ` +
      `(${stored.embedder.name}, ${stored.embedder.dimension} dimensions) is in progress since ` +
      `${new Date(stored.startedAt).toISOString()}; this run asks for ${embedder.spec} ` +
      `(${embedder.name}, ${embedder.dimension} dimensions). Run it again with --embedder ${stored.spec} to finish it`,
    { details: { version: stored.version, spec: stored.spec } },
  );
}

/** The record of a new reindex into `version`, from `previous` (what search reads now). */
export function newReindex(options: {
  readonly names: VectorSetNames;
  readonly topicPrefix: string;
  readonly version: number;
  readonly embedder: ReindexEmbedder;
  readonly previous: VectorSetTarget;
  readonly ends: readonly PartitionEnd[];
  readonly now: number;
}): StoredReindex {
  const { names, version, embedder } = options;
  return {
    version,
    set: names.setOf(version),
    spec: embedder.spec,
    embedder: { name: embedder.name, dimension: embedder.dimension },
    group: VectorSetNames.groupOf(options.topicPrefix, version),
    previous: options.previous,
    startedAt: options.now,
    ends: options.ends,
    phase: 'copying',
  };
}
