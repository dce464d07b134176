// Scaling out on one machine: how each writer's records/s changes from 1 to N instances on the same
// topic (the same pre-filled records, a fresh consumer group and an empty store each time), and
// which replica layout of the five services carries the most events/s end to end. Both halves run
// on the runner's stack, on topics of their own (deleted at the end), with the services on the
// stack's port offset; every figure is a ratio against a baseline measured in the same run.
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { portOffsetFromEnv } from '@genstream/launcher';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { deleteTopicsAndGroups } from '../kafka-cleanup.js';
import { machineLoad } from '../machine.js';
import type { Say } from '../runner/progress.js';
import { conclusionsOf } from './conclusions.js';
import { measureLayouts } from './end-to-end.js';
import { layoutsFor } from './layouts.js';
import { scalingSettings, type ScalingOptions } from './options.js';
import { partitionsFromEnv, prefillContentTopic } from './prefill.js';
import type { ConsumeMeasurement, ScalingResult, ScalingSettings, WriterScaling } from './results.js';
import { bestLayout, slowestWriter, summarizeLayouts, summarizeWriter } from './summary.js';
import { measureWriters } from './writer-scaling.js';
import type { StoreUrls } from './writer-stores.js';

/** What both halves share: the servers, this run's names, the services' environment. */
interface Run {
  readonly settings: ScalingSettings;
  readonly urls: StoreUrls & { readonly KAFKA_BROKERS: string };
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Lower case, digits and underscores: valid as a schema, database, key and topic prefix. */
  readonly tag: string;
  readonly prefix: string;
  readonly servicesEnv: NodeJS.ProcessEnv;
  readonly tracingEndpoint?: string;
  readonly portOffset: number;
  readonly say: Say;
  readonly signal: AbortSignal;
}

export async function benchScaling(options: ScalingOptions): Promise<Omit<ScalingResult, 'charts'>> {
  const settings = scalingSettings(options);
  const env = options.env ?? process.env;
  const urls = options.serverEnv as unknown as Run['urls'];
  const started = Date.now();
  const loadAtStart = loadavg();
  const tag = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const prefix = `bench_sc_${tag}.`;
  const kafka = new Kafka({
    clientId: `bench-scaling-${tag}`,
    brokers: urls.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const run: Run = {
    settings,
    urls,
    kafka,
    admin,
    tag,
    prefix,
    servicesEnv: { ...env, ...options.serverEnv, TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' },
    ...(options.tracingEndpoint ? { tracingEndpoint: options.tracingEndpoint } : {}),
    portOffset: portOffsetFromEnv(env),
    say: options.say ?? (() => {}),
    signal: options.signal ?? new AbortController().signal,
  };
  try {
    const { partitions, writers, writerRuns } = options.skipWriters
      ? { partitions: partitionsFromEnv(env), writers: [], writerRuns: [] }
      : await writerHalf(run, partitionsFromEnv(env));
    const slowest = slowestWriter(writers);
    const specs = settings.layoutSpecs.filter((spec) => slowest !== undefined || !spec.includes('slowest'));
    const layouts = layoutsFor(specs, slowest);
    const layoutRuns = options.skipLayouts ? [] : await measureLayouts(endToEnd(run), layouts);
    const layoutResults = summarizeLayouts(layouts, layoutRuns);
    const machine = {
      ...machineLoad(loadAtStart),
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: availableParallelism(),
    };
    return {
      part: 'scaling',
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      settings,
      machine,
      partitions,
      writers,
      writerRuns,
      slowestWriter: slowest,
      layouts: layoutResults,
      layoutRuns,
      bestLayout: bestLayout(layoutResults)?.layout,
      conclusions: conclusionsOf({ cores: machine.cores, partitions, writers, layouts: layoutResults }),
    };
  } finally {
    run.say('deleting its topics and consumer groups');
    await deleteTopicsAndGroups(admin, prefix).catch((error: unknown) =>
      run.say(`could not delete its topics: ${(error as Error).message}`),
    );
    await admin.disconnect();
  }
}

/** Part one: the pre-filled topic, then each writer with 1 and with N instances. */
async function writerHalf(
  run: Run,
  partitionsWanted: number,
): Promise<{ partitions: number; writers: WriterScaling[]; writerRuns: ConsumeMeasurement[] }> {
  const { settings, say } = run;
  say(`pre-filling ${run.prefix}genstream.content.generated with ${settings.records} realistic events`);
  const filled = await prefillContentTopic({
    admin: run.admin,
    brokers: run.urls.KAFKA_BROKERS,
    prefix: run.prefix,
    count: settings.records,
    partitions: partitionsWanted,
    seed: settings.seed,
    say,
  });
  say(
    `pre-filled ${filled.records} records on ${filled.partitions} partitions in ${filled.seconds.toFixed(1)} s`,
  );
  const { measurements, stores } = await measureWriters(
    {
      kafka: run.kafka,
      admin: run.admin,
      partitions: filled.partitions,
      env: run.servicesEnv,
      portOffset: run.portOffset,
      prefix: run.prefix,
      topic: filled.topic,
      records: settings.records,
      maxWindowMs: settings.maxWindowMs,
      pollMs: settings.pollMs,
      timeoutMs: 120_000 + settings.maxWindowMs,
      say,
      signal: run.signal,
    },
    { ...settings, isolation: `bench_scaling_${run.tag}`, urls: run.urls },
    (writer) => (message) => say(`${writer}: ${message}`),
  );
  const writers = settings.writers.map((writer) =>
    summarizeWriter(writer, stores.get(writer) ?? '', measurements, filled.partitions),
  );
  return { partitions: filled.partitions, writers, writerRuns: measurements };
}

/** Part two runs on topics of its own, under `<prefix>e2e.`. */
function endToEnd(run: Run): Parameters<typeof measureLayouts>[0] {
  const prefix = `${run.prefix}e2e.`;
  return {
    kafka: run.kafka,
    admin: run.admin,
    urls: run.urls,
    env: { ...run.servicesEnv, TOPIC_PREFIX: prefix },
    portOffset: run.portOffset,
    prefix,
    ...(run.tracingEndpoint ? { tracingEndpoint: run.tracingEndpoint } : {}),
    settings: run.settings,
    say: (message) => run.say(`end to end: ${message}`),
    signal: run.signal,
  };
}
