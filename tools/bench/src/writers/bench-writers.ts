// Per-writer batching: each writer's records/s through its real repository, called the way the
// service calls it (one batch of up to 500, the Kafka runtime's maxBatchRecords) and, as the
// baseline, the same repository called with batches of one: one store call per record, what a
// consumer handling records one by one (eachMessage) would do. Both paths write the same events
// into the same empty store, in an isolated schema / database / key prefix removed afterwards;
// runs alternate the two paths and are summarized as median ± spread.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { ContentGenerated } from '@genstream/events';
import { machineLoad } from '../machine.js';
import type { Say } from '../runner/progress.js';
import { positive } from '../settings.js';
import { spreadOf } from '../stats.js';
import { SyntheticCorpus } from '../synthetic-corpus.js';
import { mongoTarget, postgresTarget } from './database-targets.js';
import { realisticEvent } from './realistic-event.js';
import { redisTarget, vectorTarget } from './redis-targets.js';
import {
  WRITER_NAMES,
  type WriterName,
  type WriterResult,
  type WriterTarget,
  type WritersOptions,
  type WritersResult,
} from './results.js';

interface Plan {
  readonly events: number;
  readonly batchSize: number;
  readonly runs: number;
  readonly warmupEvents: number;
  readonly say: Say;
  readonly signal: AbortSignal | undefined;
}

export async function benchWriters(options: WritersOptions): Promise<WritersResult> {
  const events = positive('events', options.events ?? 5_000);
  const batchSize = positive('batchSize', options.batchSize ?? 500);
  const runs = positive('runs', options.runs ?? 3);
  const seed = options.seed ?? 1;
  const say = options.say ?? (() => {});
  const plan: Plan = {
    events,
    batchSize,
    runs,
    warmupEvents: Math.min(events, batchSize),
    say,
    signal: options.signal,
  };
  const startedAt = new Date();
  const loadAverageAtStart = loadavg();
  // Lower case, digits and underscores: valid unquoted as a PostgreSQL schema and a MongoDB database.
  const isolation = `bench_writers_${process.pid}_${randomUUID().slice(0, 8)}`;

  say(`generating ${events.toLocaleString('en-US')} ContentGenerated events`);
  const corpus = new SyntheticCorpus(seed);
  const contents = Array.from({ length: events }, () => realisticEvent(corpus));

  const results: WriterResult[] = [];
  for (const name of options.writers ?? WRITER_NAMES) {
    plan.signal?.throwIfAborted();
    const target = await openTarget(name, contents, isolation, options, say);
    try {
      results.push(await measureWriter(target, plan));
    } finally {
      say(`${name}: removing its isolated store`);
      await target.remove();
    }
  }
  return {
    part: 'writers',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    settings: {
      events,
      batchSize,
      runs,
      warmupEvents: plan.warmupEvents,
      seed,
      isolation: `PostgreSQL schema, MongoDB database and Redis key prefix named ${isolation}, removed after`,
      order:
        'each run measures both paths back to back, batched first in odd runs, one by one first in even runs; the store is emptied before each',
    },
    writers: results,
    machine: machineLoad(loadAverageAtStart),
  };
}

/** A warm-up of each path, then `runs` runs of both paths, alternating which goes first. */
async function measureWriter<Item>(target: WriterTarget<Item>, plan: Plan): Promise<WriterResult> {
  const { events, batchSize, runs, say, signal } = plan;
  const { name } = target;
  say(`${name}: warming up with ${plan.warmupEvents} events on each path (not measured)`);
  for (const size of [batchSize, 1]) {
    await target.reset();
    await writeAll(target, target.items.slice(0, plan.warmupEvents), size, signal);
  }
  const batched: number[] = [];
  const perRecord: number[] = [];
  for (let run = 1; run <= runs; run++) {
    // Alternate which path goes first, so that neither always follows the other.
    const order = run % 2 === 1 ? [batchSize, 1] : [1, batchSize];
    for (const size of order) {
      await target.reset();
      const seconds = await writeAll(target, target.items, size, signal);
      const rate = events / seconds;
      (size === 1 ? perRecord : batched).push(rate);
      say(
        `${name}: run ${run}/${runs}, ${size === 1 ? 'one record per call' : `batches of ${size}`}: ` +
          `${Math.round(rate).toLocaleString('en-US')} records/s (${seconds.toFixed(2)} s)`,
      );
    }
  }
  const batchedSpread = spreadOf(batched);
  const perRecordSpread = spreadOf(perRecord);
  return {
    writer: name,
    service: target.service,
    method: target.method,
    store: target.store,
    roundTrip: `batched: ${target.roundTrip(batchSize)}; per record: ${target.roundTrip(1)}`,
    batched: { recordsPerSecond: batchedSpread, samples: batched, calls: Math.ceil(events / batchSize) },
    perRecord: { recordsPerSecond: perRecordSpread, samples: perRecord, calls: events },
    ratio: batchedSpread.median / perRecordSpread.median,
    runRatios: spreadOf(batched.map((rate, i) => rate / perRecord[i]!)),
  };
}

/** Writes every item, `size` per repository call, one call in flight; returns the seconds taken. */
async function writeAll<Item>(
  target: WriterTarget<Item>,
  items: readonly Item[],
  size: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  let stored = 0;
  const started = performance.now();
  for (let start = 0; start < items.length; start += size) {
    signal?.throwIfAborted();
    stored += await target.write(items.slice(start, start + size));
  }
  const seconds = (performance.now() - started) / 1000;
  if (stored !== items.length) {
    throw new Error(`${target.name}: ${stored} of ${items.length} records stored; the measurement is void`);
  }
  return seconds;
}

async function openTarget(
  name: WriterName,
  events: readonly ContentGenerated[],
  isolation: string,
  options: WritersOptions,
  say: Say,
): Promise<WriterTarget<unknown>> {
  switch (name) {
    case 'postgres':
      return postgresTarget(events, isolation, options.databaseUrl);
    case 'mongo':
      return mongoTarget(events, isolation, options.mongoUrl);
    case 'redis':
      return redisTarget(events, isolation, options.redisUrl);
    case 'vectors':
      return vectorTarget(events, isolation, options.redisUrl, say);
  }
}
