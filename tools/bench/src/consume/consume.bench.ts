// npm run bench:consume: the same records consumed with eachBatch (one handler call and one store
// write per batch, through @genstream/kafka) and with kafkajs eachMessage (one call and one store
// write per record). Settings: BENCH_RECORDS (50000), BENCH_RUNS (3), BENCH_PARTITIONS (3), and
// the simulated store's cost per write: BENCH_WRITE_US (50) + BENCH_ROW_US (6) per row; with
// both at 0 a write is a bare loopback round trip and the bench shows the runtimes' own overhead.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEventCodec, deadLetterTopic, type EventInputTypes, type EventTypes } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { KafkaRuntime, silentLogger } from '@genstream/kafka';
import { loadStackConfig, stackUp } from '@genstream/stack';
import { Kafka, logLevel } from 'kafkajs';
import { loopbackStore, type LoopbackStore } from './loopback-store.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 3);
const BYTES_PER_ROW = 200; // what a writer sends to its store per record
const COST = {
  fixedUs: Number(process.env.BENCH_WRITE_US ?? 50),
  perRowUs: Number(process.env.BENCH_ROW_US ?? 6),
};

const started = Date.now();
const progress = (message: string) =>
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  [bench] ${message}\n`);

interface Run {
  readonly recordsPerSecond: number;
  readonly seconds: number;
  readonly handlerCalls: number;
}

const brokers = await kafkaBrokers();
const codec = createEventCodec();
const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const topics = {
  GenerationRequested: `bench_consume_${suffix}`,
  ContentGenerated: `bench_consume_${suffix}_unused_cg`,
  ContentIndexed: `bench_consume_${suffix}_unused_ci`,
  GenerationFailed: `bench_consume_${suffix}_unused_gf`,
};
const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const store = await loopbackStore(COST);
try {
  await calibrate(store);
  await produce();
  const batch: Run[] = [];
  const message: Run[] = [];
  for (let run = 1; run <= RUNS; run++) {
    // Alternate which goes first, so neither always meets a warmer broker cache.
    const order = run % 2 === 1 ? (['batch', 'message'] as const) : (['message', 'batch'] as const);
    for (const mode of order) {
      const result =
        mode === 'batch' ? await consumeWithEachBatch(store, run) : await consumeWithEachMessage(store, run);
      (mode === 'batch' ? batch : message).push(result);
      progress(
        `run ${run}/${RUNS} ${mode === 'batch' ? 'eachBatch  ' : 'eachMessage'}: ${fmt(result.recordsPerSecond)} records/s ` +
          `(${result.seconds.toFixed(2)} s, ${result.handlerCalls} handler calls)`,
      );
    }
  }
  report(batch, message);
} finally {
  await store.close();
  await admin
    .deleteTopics({ topics: Object.values(topics).flatMap((t) => [t, deadLetterTopic(t)]) })
    .catch(() => {});
  await admin.disconnect();
}

async function kafkaBrokers(): Promise<string[]> {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS.split(',');
  progress('KAFKA_BROKERS not set: bringing up the local Kafka (npm run stack:up)');
  const { servers } = await stackUp(loadStackConfig(), ['kafka']);
  return [servers.find((server) => server.name === 'kafka')!.address];
}

/** Shows what a simulated write costs end to end, to compare with a real store. */
async function calibrate(target: LoopbackStore): Promise<void> {
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
  progress(
    `simulated store write, median round trip: 1 row ${fmt(await timeOf(1, 500))} us, ` +
      `500 rows ${fmt(await timeOf(500, 50))} us (the stack's PostgreSQL measured ~100-120 us and ~3,100-3,700 us)`,
  );
}

async function produce(): Promise<void> {
  const runtime = new KafkaRuntime<EventTypes, EventInputTypes>({
    service: 'bench-producer',
    brokers,
    codec,
    topics,
    deadLetterTopic,
    topicCreation: { partitions: PARTITIONS, replicationFactor: 1 },
    producer: { maxBatchRecords: 1_000 },
    logger: silentLogger,
  });
  await runtime.start();
  const sample = await codec.encode('GenerationRequested', aGenerationRequested());
  progress(`producing ${fmt(RECORDS)} records of ${sample.length} bytes to ${PARTITIONS} partitions`);
  const begun = Date.now();
  const chunk = 5_000;
  for (let sent = 0; sent < RECORDS; sent += chunk) {
    const events = Array.from({ length: Math.min(chunk, RECORDS - sent) }, () => aGenerationRequested());
    await runtime.publisher.publishMany('GenerationRequested', events);
    progress(`  produced ${fmt(sent + events.length)}/${fmt(RECORDS)}`);
  }
  const seconds = (Date.now() - begun) / 1000;
  progress(`produced in ${seconds.toFixed(1)} s (${fmt(RECORDS / seconds)} records/s with publishMany)`);
  await runtime.stop();
}

async function consumeWithEachBatch(target: LoopbackStore, run: number): Promise<Run> {
  const runtime = new KafkaRuntime<EventTypes, EventInputTypes>({
    service: 'bench-batch',
    brokers,
    codec,
    topics,
    deadLetterTopic,
    topicCreation: false,
    consumer: { maxWaitMs: 100 },
    logger: silentLogger,
  });
  let count = 0;
  let calls = 0;
  let first = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  runtime.consume({
    groupId: `bench_batch_${suffix}_${run}`,
    events: ['GenerationRequested'],
    handler: async (records) => {
      first ||= performance.now();
      calls += 1;
      // One multi-row write per batch.
      await target.write(records.length, BYTES_PER_ROW);
      count += records.length;
      if (count >= RECORDS) finish();
    },
  });
  await runtime.start();
  await finished;
  const seconds = (performance.now() - first) / 1000;
  await runtime.stop();
  return { recordsPerSecond: RECORDS / seconds, seconds, handlerCalls: calls };
}

async function consumeWithEachMessage(target: LoopbackStore, run: number): Promise<Run> {
  const consumer = kafka.consumer({ groupId: `bench_message_${suffix}_${run}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.GenerationRequested, fromBeginning: true });
  let count = 0;
  let first = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      first ||= performance.now();
      // The same decode as the runtime does, then one single-row write per record.
      await codec.decode('GenerationRequested', message.value!);
      await target.write(1, BYTES_PER_ROW);
      count += 1;
      if (count >= RECORDS) finish();
    },
  });
  await finished;
  const seconds = (performance.now() - first) / 1000;
  await consumer.disconnect();
  return { recordsPerSecond: RECORDS / seconds, seconds, handlerCalls: count };
}

function report(batch: Run[], message: Run[]): void {
  const summary = (runs: Run[]) => {
    const rates = runs.map((r) => r.recordsPerSecond).sort((a, b) => a - b);
    return { median: median(rates), min: rates[0]!, max: rates.at(-1)!, rates };
  };
  const b = summary(batch);
  const m = summary(message);
  const callsPerBatch = RECORDS / median(batch.map((r) => r.handlerCalls));
  const lines = [
    '',
    `consume ${fmt(RECORDS)} records, ${PARTITIONS} partitions, ${RUNS} runs each; store write = loopback round trip ` +
      `+ ${COST.fixedUs} us + ${COST.perRowUs} us/row`,
    '',
    'mode          median records/s   min .. max               per-run',
    `eachBatch     ${fmt(b.median).padStart(16)}   ${`${fmt(b.min)} .. ${fmt(b.max)}`.padEnd(22)}   ${b.rates.map(fmt).join(', ')}`,
    `eachMessage   ${fmt(m.median).padStart(16)}   ${`${fmt(m.min)} .. ${fmt(m.max)}`.padEnd(22)}   ${m.rates.map(fmt).join(', ')}`,
    '',
    `eachBatch / eachMessage (medians): ${(b.median / m.median).toFixed(1)}x; about ${fmt(callsPerBatch)} records per handler call`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const dir = fileURLToPath(new URL('../../../../.bench', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/consume-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(
    file,
    JSON.stringify({ records: RECORDS, partitions: PARTITIONS, runs: RUNS, batch, message }, null, 2),
  );
  progress(`results also in ${file}`);
}

function median(sorted: number[]): number {
  const values = [...sorted].sort((a, b) => a - b);
  const middle = Math.floor(values.length / 2);
  return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
