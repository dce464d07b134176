// npm run bench:consume: the same records consumed with eachBatch (one handler call and one store
// write per batch, through @genstream/kafka) and with kafkajs eachMessage (one call and one store
// write per record). Settings: BENCH_RECORDS (50000), BENCH_RUNS (3), BENCH_PARTITIONS (3), and
// the simulated store's cost per write: BENCH_WRITE_US (50) + BENCH_ROW_US (6) per row; with
// both at 0 a write is a bare loopback round trip and the bench shows the runtimes' own overhead.
// Needs Kafka (the runner starts it when it is not running; KAFKA_BROKERS points it at another).
import { deadLetterTopic } from '@genstream/events';
import { stampedBenchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import type { Say } from '../runner/progress.js';
import {
  BYTES_PER_ROW,
  consumeSettings,
  consumeSetup,
  fmt,
  median,
  type ConsumeSetup,
} from './consume-setup.js';
import { formatConsumeReport } from './consume-report.js';
import { consumeWithEachBatch, consumeWithEachMessage, produce, type Run } from './consumers.js';
import { loopbackStore, type LoopbackStore } from './loopback-store.js';

runBenchCommand({
  name: 'consume',
  usage: '',
  options: {},
  servers: ['kafka'],
  run: async (_flags, { env, serverEnv, say }) => {
    const settings = consumeSettings(env);
    const store = await loopbackStore(settings.cost);
    const setup = consumeSetup(settings, serverEnv.KAFKA_BROKERS!.split(','), store, say);
    const admin = setup.kafka.admin();
    await admin.connect();
    try {
      await calibrate(store, say);
      await produce(setup);
      const { batch, message } = await alternate(setup);
      const startedAt = new Date().toISOString();
      return {
        report: formatConsumeReport(settings, batch, message),
        json: {
          records: settings.records,
          partitions: settings.partitions,
          runs: settings.runs,
          batch,
          message,
        },
        files: [stampedBenchFile('consume', startedAt)],
      };
    } finally {
      await store.close();
      await admin
        .deleteTopics({ topics: Object.values(setup.topics).flatMap((t) => [t, deadLetterTopic(t)]) })
        .catch(() => {});
      await admin.disconnect();
    }
  },
});

/** Runs of both modes, alternating which goes first so neither always meets a warmer broker cache. */
async function alternate(setup: ConsumeSetup): Promise<{ batch: Run[]; message: Run[] }> {
  const { runs } = setup.settings;
  const batch: Run[] = [];
  const message: Run[] = [];
  for (let run = 1; run <= runs; run++) {
    const order = run % 2 === 1 ? (['batch', 'message'] as const) : (['message', 'batch'] as const);
    for (const mode of order) {
      const result =
        mode === 'batch' ? await consumeWithEachBatch(setup, run) : await consumeWithEachMessage(setup, run);
      (mode === 'batch' ? batch : message).push(result);
      setup.say(
        `run ${run}/${runs} ${mode === 'batch' ? 'eachBatch  ' : 'eachMessage'}: ${fmt(result.recordsPerSecond)} records/s ` +
          `(${result.seconds.toFixed(2)} s, ${result.handlerCalls} handler calls)`,
      );
    }
  }
  return { batch, message };
}

/** Shows what a simulated write costs end to end, to compare with a real store. */
async function calibrate(target: LoopbackStore, say: Say): Promise<void> {
  const timeOf = async (rows: number, times: number) => {
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const begun = performance.now();
      await target.write(rows, BYTES_PER_ROW);
      samples.push((performance.now() - begun) * 1000);
    }
    return median(samples);
  };
  await timeOf(1, 200); // warm-up
  say(
    `simulated store write, median round trip: 1 row ${fmt(await timeOf(1, 500))} us, ` +
      `500 rows ${fmt(await timeOf(500, 50))} us (the stack's PostgreSQL measured ~100-120 us and ~3,100-3,700 us)`,
  );
}
