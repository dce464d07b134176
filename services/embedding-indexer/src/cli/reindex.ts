// npm run reindex -- --embedder NAME [--batch-size N], in an image
// node services/embedding-indexer/dist/cli/reindex.js --embedder NAME: rebuilds the vector index
// from genstream.content.generated into the next versioned vector set, switches search to it and
// drops the old set (see ../reindex/reindexer.ts for why nothing arriving meanwhile is lost).
// Progress goes to stderr, milestones and the summary to stdout. Killed, it is run again with the
// same arguments and resumes. Exit codes: 0 done, 1 failed or stopped, 2 bad arguments.
// Reads the service's variables; with the local stack:
//   eval "$(npm run -s stack:env)" && npm run reindex -- --embedder local:384
import { loadConfig } from '@genstream/config';
import { ConfigError } from '@genstream/errors';
import { OffsetsClient } from '@genstream/kafka';
import { createServiceLogger } from '@genstream/service';
import { redisClient } from '@genstream/service/redis';
import { configSchema } from '../config.js';
import { REINDEX_USAGE, parseReindexArguments } from '../reindex/reindex-arguments.js';
import { formatSummary } from '../reindex/reindex-summary.js';
import { REINDEX_CLIENT, Reindexer } from '../reindex/reindexer.js';
import { createEmbedder } from '../repositories/embedding.provider.js';
import { VectorIndexRepository } from '../repositories/vector-index-repository.js';
import { VectorSetAliasRepository } from '../repositories/vector-set-alias.repository.js';
import { configWithEmbedder, formatEmbedderSpec } from '../services/embedder-spec.js';

async function main(): Promise<number> {
  const args = parseReindexArguments(process.argv.slice(2));
  if (args.help) {
    console.log(REINDEX_USAGE);
    return 0;
  }
  const config = loadConfig(configSchema, process.env);
  const embedder = createEmbedder(configWithEmbedder(config, args.embedder));
  // The runtime's own lines (JSON) only when something is wrong: the plain lines say the rest.
  const logger = createServiceLogger(REINDEX_CLIENT, config.LOG_LEVEL === 'debug' ? 'debug' : 'warn');
  const redis = redisClient(config.REDIS_URL, logger, { connectionName: REINDEX_CLIENT });
  try {
    await using offsets = await OffsetsClient.connect(config.KAFKA_BROKERS, REINDEX_CLIENT);
    const reindexer = new Reindexer({
      config,
      embedder,
      spec: formatEmbedderSpec(args.embedder),
      batchSize: args.batchSize,
      alias: new VectorSetAliasRepository(redis, {
        keyPrefix: config.REDIS_KEY_PREFIX,
        vectorSet: config.VECTOR_SET,
      }),
      indexOf: (set) =>
        new VectorIndexRepository(redis, {
          keyPrefix: config.REDIS_KEY_PREFIX,
          vectorSet: set,
          quantization: config.VECTOR_QUANTIZATION,
        }),
      offsets,
      logger,
      say: (line) => console.log(`reindex: ${line}`),
      progress: (line) => console.error(line),
    });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        console.error(`reindex: ${signal}: stopping after the batch in flight (run again to resume)`);
        void reindexer.stop();
      });
    }
    const summary = await reindexer.run();
    console.log(formatSummary(summary));
    return summary.interrupted ? 1 : 0;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof ConfigError) {
      console.error(`reindex: ${error.message}\n${REINDEX_USAGE}`);
      process.exit(2);
    }
    console.error(`reindex: failed: ${error.message}`);
    process.exit(1);
  },
);
