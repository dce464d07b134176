// What both consumers of the consume bench share: the settings, the brokers, the topics of this
// run, and the simulated store each write goes to.
import { randomBytes } from 'node:crypto';
import { createEventCodec } from '@genstream/events';
import { Kafka, logLevel } from 'kafkajs';
import type { Say } from '../runner/progress.js';
import type { LoopbackStore } from './loopback-store.js';

export const BYTES_PER_ROW = 200; // what a writer sends to its store per record

/** From the environment, as before flags existed: BENCH_RECORDS, BENCH_RUNS, BENCH_PARTITIONS, BENCH_WRITE_US, BENCH_ROW_US. */
export function consumeSettings(env: NodeJS.ProcessEnv) {
  return {
    records: Number(env.BENCH_RECORDS ?? 50_000),
    runs: Number(env.BENCH_RUNS ?? 3),
    partitions: Number(env.BENCH_PARTITIONS ?? 3),
    cost: { fixedUs: Number(env.BENCH_WRITE_US ?? 50), perRowUs: Number(env.BENCH_ROW_US ?? 6) },
  };
}

export type ConsumeSettings = ReturnType<typeof consumeSettings>;

export interface ConsumeSetup {
  readonly settings: ConsumeSettings;
  readonly brokers: string[];
  readonly codec: ReturnType<typeof createEventCodec>;
  readonly suffix: string;
  readonly topics: {
    readonly GenerationRequested: string;
    readonly ContentGenerated: string;
    readonly ContentIndexed: string;
    readonly GenerationFailed: string;
  };
  readonly kafka: Kafka;
  readonly store: LoopbackStore;
  readonly say: Say;
}

export function consumeSetup(
  settings: ConsumeSettings,
  brokers: string[],
  store: LoopbackStore,
  say: Say,
): ConsumeSetup {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  return {
    settings,
    brokers,
    codec: createEventCodec(),
    suffix,
    topics: {
      GenerationRequested: `bench_consume_${suffix}`,
      ContentGenerated: `bench_consume_${suffix}_unused_cg`,
      ContentIndexed: `bench_consume_${suffix}_unused_ci`,
      GenerationFailed: `bench_consume_${suffix}_unused_gf`,
    },
    kafka: new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING }),
    store,
    say,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
