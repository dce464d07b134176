import { ConfigError } from '@genstream/errors';
import { LOCAL_EMBEDDING_DIMENSION, type Config } from '../config.js';
import type { VectorSetTarget } from '../repositories/vector-set-names.js';

// How an operator names an embedder to reindex with (`--embedder`), in the words of the
// service's own configuration:
//   local                 the built-in embedder, 256 dimensions (same as local:256)
//   local:<dimension>     the built-in embedder with that many dimensions
//   openai:<model>        the OpenAI-compatible endpoint of EMBEDDING_BASE_URL (and
//                         EMBEDDING_API_KEY) with that model; its dimension is learned from it

export type EmbedderSpec =
  | { readonly provider: 'local'; readonly dimension: number }
  | { readonly provider: 'openai'; readonly model: string };

export const EMBEDDER_SPEC_FORMS = 'local, local:<dimension> or openai:<model>';

/** Reads a spec; ConfigError saying what is wrong otherwise. */
export function parseEmbedderSpec(text: string): EmbedderSpec {
  const [provider = '', ...rest] = text.trim().split(':');
  // Model names may contain colons (nomic-embed-text:latest): everything after the first is the model.
  const argument = rest.join(':');
  if (provider === 'local') {
    if (rest.length === 0) return { provider, dimension: LOCAL_EMBEDDING_DIMENSION };
    const dimension = Number(argument);
    if (!/^\d+$/.test(argument) || dimension < 2 || dimension > 65_536)
      throw new ConfigError(`--embedder ${text}: the local dimension must be an integer from 2 to 65536`);
    return { provider, dimension };
  }
  if (provider === 'openai') {
    if (argument === '')
      throw new ConfigError(`--embedder ${text}: name the model, e.g. openai:text-embedding-3-small`);
    return { provider, model: argument };
  }
  throw new ConfigError(`--embedder "${text}" is not an embedder: use ${EMBEDDER_SPEC_FORMS}`);
}

/** The canonical text of a spec (`local` reads as `local:256`), as recorded in the alias. */
export function formatEmbedderSpec(spec: EmbedderSpec): string {
  return spec.provider === 'local' ? `local:${spec.dimension}` : `openai:${spec.model}`;
}

/** The service's configuration with its embedder variables set to `spec` (the rest kept). */
export function configWithEmbedder(config: Config, spec: EmbedderSpec): Config {
  if (spec.provider === 'local') {
    return { ...config, EMBEDDING_PROVIDER: 'local', EMBEDDING_DIMENSION: spec.dimension };
  }
  // A dimension configured for another model says nothing about this one.
  const sameModel = config.EMBEDDING_PROVIDER === 'openai' && config.EMBEDDING_MODEL === spec.model;
  return {
    ...config,
    EMBEDDING_PROVIDER: 'openai',
    EMBEDDING_MODEL: spec.model,
    EMBEDDING_DIMENSION: sameModel ? config.EMBEDDING_DIMENSION : undefined,
  };
}

/** The variables that make embedding-indexer embed as `spec` does (the operator's restart). */
export function environmentOf(spec: EmbedderSpec): string {
  return spec.provider === 'local'
    ? `EMBEDDING_PROVIDER=local EMBEDDING_DIMENSION=${spec.dimension}`
    : `EMBEDDING_PROVIDER=openai EMBEDDING_MODEL=${spec.model} (and its EMBEDDING_BASE_URL)`;
}

/**
 * Why vectors of `embedder` (name, and dimension when known) must not meet those of `target`, or
 * undefined when they may. VECTOR_SET without an alias was built by the configured embedder.
 */
export function embedderConflict(
  target: VectorSetTarget,
  embedder: { readonly name: string; readonly dimension?: number },
): string | undefined {
  const built = target.embedder;
  if (built === undefined) return undefined;
  const sameName = built.name === embedder.name;
  if (sameName && (embedder.dimension === undefined || embedder.dimension === built.dimension))
    return undefined;
  const mine =
    embedder.dimension === undefined ? embedder.name : `${embedder.name}, ${embedder.dimension} dimensions`;
  let restart = '';
  try {
    restart = `; restart embedding-indexer with ${environmentOf(parseEmbedderSpec(built.spec))}`;
  } catch {
    // A spec this version cannot read: the names above still say what differs.
  }
  return (
    `the vector set ${target.set} (version ${target.version}, the alias) was built by ${built.spec} ` +
    `(${built.name}, ${built.dimension} dimensions) and this instance embeds with ${mine}${restart}`
  );
}
