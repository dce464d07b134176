// `npm run bench:latency [-- --count N] [--start]`: time from publishing one GenerationRequested on
// Kafka to its being in all four stores (PostgreSQL row, MongoDB document, Redis done status and
// vector set element), for N single requests one after another (default 5); prints the median and
// writes .bench/latency.json. Expects `npm start` running (exit 2 if it is not); `--start` starts
// the stack and the services itself and stops them after.
import {
  KafkaProbe,
  StoreReader,
  SystemNotRunningError,
  formatLatency,
  measurePublishToStores,
  useSystem,
  type StoreUrls,
} from '@genstream/launcher';
import { benchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import { UsageError, integerFlag, valueFlags } from '../runner/flags.js';

runBenchCommand({
  name: 'latency',
  usage: '[--count 5] [--start]',
  options: { ...valueFlags('count'), start: { type: 'boolean', default: false } },
  // The servers are the running system's, or (--start) those the launcher brings up with it.
  servers: 'none',
  exitCodeOf: (error) => (error instanceof SystemNotRunningError ? 2 : 1),
  run: async (flags, { say }) => {
    const count = integerFlag(flags, 'count') ?? 5;
    if (count < 1) throw new UsageError(`--count: at least 1 request, not ${count}`);
    await using system = await useSystem('bench:latency', flags.start === true, say);
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
    await reader.removeContent(summary.requests); // a benchmark leaves no data behind
    return { report: formatLatency(summary), json: summary, files: [benchFile('latency.json')] };
  },
});
