// `npm run bench:latency [-- --count N] [-- --start]`: time from publishing one GenerationRequested on
// Kafka to its being in all four stores (PostgreSQL row, MongoDB document, Redis done status and
// vector set element), for N single requests one after another (default 5); prints the median.
// Expects `npm start` running; `--start` starts the services itself.
import { progressFor } from '@genstream/stack';
import { KafkaProbe } from './kafka-probe.js';
import { formatLatency, measurePublishToStores } from './latency-probe.js';
import { SystemNotRunningError, useSystem } from './running-system.js';
import { StoreReader, type StoreUrls } from './stores.js';

const say = progressFor('latency');

async function main(args: readonly string[]): Promise<number> {
  const countAt = args.indexOf('--count');
  const count = countAt >= 0 ? Number(args[countAt + 1]) : 5;
  if (!Number.isInteger(count) || count < 1)
    throw new Error('usage: npm run bench:latency [-- --count N] [--start]');
  await using system = await useSystem('bench:latency', args.includes('--start'), say);
  const env = system.serverEnv;
  if (!env.KAFKA_BROKERS) throw new Error('KAFKA_BROKERS is not known');
  await using reader = await StoreReader.connect(env as unknown as StoreUrls);
  await using probe = await KafkaProbe.connect({
    brokers: env.KAFKA_BROKERS,
    registryUrl: env.SCHEMA_REGISTRY_URL,
  });
  say(`publishing ${count} single requests on Kafka, one at a time`);
  const summary = await measurePublishToStores(probe, reader, count, (sample, i) =>
    say(
      `${i + 1}/${count}: all four stores after ${Math.round(sample.allMs)} ms ` +
        `(postgres ${sample.ms.postgres}, mongo ${sample.ms.mongo}, redis ${sample.ms.redis}, vectors ${sample.ms.vectors})`,
    ),
  );
  console.log(formatLatency(summary));
  await reader.removeContent(summary.requests); // a benchmark leaves no data behind
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nbench:latency failed: ${error.message}`);
    process.exit(error instanceof SystemNotRunningError ? 2 : 1);
  },
);
