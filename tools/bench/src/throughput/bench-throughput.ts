// End-to-end throughput and the services' resident memory under it.
//
// The same burst of N fresh generation requests goes, in turns, to two systems on the same stores:
// - genstream: C publishers put each request on Kafka (the real Avro codec, key = requestId); the
//   five services then write PostgreSQL, MongoDB, Redis and the vector set on their own;
// - the baseline, the seed tutorial's way: C workers each take the next request, generate it with
//   the same LocalProvider and write PostgreSQL, then MongoDB, then Redis (and the vector set),
//   one awaited step after another, nothing batched (seed-handler.ts).
// Both are timed the same way: from the first request started to the moment the last request is in
// the last of its four stores (PostgreSQL, Redis and the vector set polled; MongoDB from the write
// acknowledgement, see waitMaterialized). Runs alternate between the two systems; every figure is
// a median over the runs with its spread, every comparison a ratio of two medians of this run.
import { randomBytes } from 'node:crypto';
import { StoreReader, portOffsetFromEnv, startServices, type StoreUrls } from '@genstream/launcher';
import { Kafka, logLevel } from 'kafkajs';
import { deleteTopicsAndGroups } from '../kafka-cleanup.js';
import type { Say } from '../runner/progress.js';
import { GenstreamSystem } from './genstream-system.js';
import { THROUGHPUT_DEFAULTS, throughputSettings, type ThroughputOptions } from './options.js';
import { benchProcess, processesOf, sampleRss } from './resources.js';
import type { RunMeasurement, ThroughputResult } from './results.js';
import { runOnce, type RunContext } from './run-once.js';
import { SeedHandler } from './seed-handler.js';
import { summarize } from './summarize.js';

type Cleanups = (() => Promise<unknown>)[];

/**
 * Starts the five services on fresh topics (the stack is the runner's), measures R alternating
 * runs of genstream and of the baseline with N requests each, removes every row, document and key
 * it wrote, stops the services, deletes its topics and consumer groups, and returns the figures.
 */
export async function benchThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const settings = throughputSettings(options);
  const say = options.say ?? (() => {});
  const startedAt = new Date().toISOString();
  // Undone in reverse order, whatever happened.
  const cleanups: Cleanups = [];
  try {
    const context = await openSystems(options, settings, say, cleanups);
    if (settings.warmupRequests > 0) {
      say(`warm-up (not counted): ${settings.warmupRequests} requests through each system`);
      await runOnce(context, context.genstream, 0, settings.warmupRequests);
      await runOnce(context, context.baseline, 0, settings.warmupRequests);
    }
    const idle = sampleRss([
      ...processesOf(context.services),
      benchProcess('genstream'),
      benchProcess('baseline'),
    ]);
    const measured: RunMeasurement[] = [];
    for (let run = 1; run <= settings.runs; run++) {
      // g b, b g, g b, ...: neither system always runs second, on a warmer or a busier machine.
      const order =
        run % 2 === 1 ? [context.genstream, context.baseline] : [context.baseline, context.genstream];
      for (const system of order) measured.push(await runOnce(context, system, run, settings.requests));
    }
    const startedServers = options.startedServers ?? [];
    return summarize({ startedAt, settings, measured, idle, startedServers });
  } finally {
    say('removing what it wrote, stopping the services, deleting its topics');
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => say(`clean-up step failed: ${(error as Error).message}`));
    }
  }
}

/** Both systems ready on the same stores, and the services running; each undone by `cleanups`. */
async function openSystems(
  options: ThroughputOptions,
  settings: RunContext['settings'],
  say: Say,
  cleanups: Cleanups,
): Promise<RunContext & { genstream: GenstreamSystem; baseline: SeedHandler }> {
  const env = options.env ?? process.env;
  const { serverEnv } = options;
  const urls = serverEnv as unknown as StoreUrls & { KAFKA_BROKERS: string };
  const tag = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const topicPrefix = `bench_tp_${tag}.`;
  const reader = await StoreReader.connect(urls);
  cleanups.push(async () => reader.close());
  const kafka = new Kafka({
    clientId: `bench-throughput-${tag}`,
    brokers: urls.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push(async () => admin.disconnect());
  cleanups.push(async () => deleteTopicsAndGroups(admin, topicPrefix));

  // Before the services: after they stop, it removes what a failed run may still have written.
  const genstream = await GenstreamSystem.open(kafka, admin, topicPrefix, urls.KAFKA_BROKERS, reader);
  cleanups.push(async () => genstream.close());

  say(`starting the five services on topics ${topicPrefix}* (their output is shown only if one fails)`);
  const services = await startServices({
    env: { ...env, ...serverEnv, TOPIC_PREFIX: topicPrefix },
    portOffset: portOffsetFromEnv(env),
  });
  cleanups.push(async () => services.stop());
  const ready = [...services.readyMs.values()].map((ms) => (ms / 1000).toFixed(1));
  say(`all five services are healthy (ready in ${ready.join(', ')} s)`);
  await genstream.startTracking();

  const baseline = await SeedHandler.open(urls, tag, settings.concurrency);
  cleanups.push(async () => baseline.drop());
  const runTimeoutMs = options.runTimeoutMs ?? THROUGHPUT_DEFAULTS.runTimeoutMs;
  const signal = options.signal ?? new AbortController().signal;
  return { reader, services, settings, runTimeoutMs, say, signal, genstream, baseline };
}
