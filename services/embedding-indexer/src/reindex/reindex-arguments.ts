import { parseArgs } from 'node:util';
import { ConfigError } from '@genstream/errors';
import { EMBEDDER_SPEC_FORMS, parseEmbedderSpec, type EmbedderSpec } from '../services/embedder-spec.js';

export const REINDEX_USAGE = `usage: npm run reindex -- --embedder NAME [--batch-size N]
  (in an image: node services/embedding-indexer/dist/cli/reindex.js --embedder NAME)
Rebuilds the vector index from genstream.content.generated, from its beginning, into a new
versioned vector set (<VECTOR_SET>:v<N>), then switches search to it and drops the old set.
Killed or stopped, run it again with the same --embedder: it resumes where it was.
  --embedder NAME   ${EMBEDDER_SPEC_FORMS}:
                    local         the built-in embedder, 256 dimensions (same as local:256)
                    local:384     the built-in embedder, 384 dimensions
                    openai:MODEL  the OpenAI-compatible endpoint of EMBEDDING_BASE_URL
                                  (and EMBEDDING_API_KEY), its dimension learned from it
  --batch-size N    records embedded and written per batch, 1 to 5000 (default 500; smaller
                    for a rate-limited embeddings endpoint)
Reads KAFKA_BROKERS, TOPIC_PREFIX, REDIS_URL, REDIS_KEY_PREFIX, VECTOR_SET and
VECTOR_QUANTIZATION like the service.`;

export interface ReindexArguments {
  readonly embedder: EmbedderSpec;
  readonly batchSize: number;
  readonly help: boolean;
}

export const DEFAULT_BATCH_SIZE = 500;

/** Reads the arguments; ConfigError naming the problem on anything not understood. */
export function parseReindexArguments(args: readonly string[]): ReindexArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: {
        embedder: { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
  const { values } = parsed;
  if (values.help) return { embedder: { provider: 'local', dimension: 256 }, batchSize: 0, help: true };
  if (values.embedder === undefined) throw new ConfigError('--embedder NAME is required');
  const embedder = parseEmbedderSpec(values.embedder);
  const batchText = values['batch-size'];
  const batchSize = batchText === undefined ? DEFAULT_BATCH_SIZE : Number(batchText);
  if (!/^\d+$/.test(batchText ?? '1') || batchSize < 1 || batchSize > 5_000)
    throw new ConfigError(`--batch-size must be an integer from 1 to 5000, not "${batchText}"`);
  return { embedder, batchSize, help: false };
}
