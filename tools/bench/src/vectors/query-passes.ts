// The queries, one in flight: each pass runs every query approximately (VSIM) and exactly (VSIM
// ... TRUTH, the server's linear scan of the same stored vectors), the order alternating by pass.
import type { Redis } from 'ioredis';
import type { Say } from '../runner/progress.js';
import { latencyPercentiles } from '../stats.js';
import { scored } from './redis-info.js';
import type { Scored } from './results.js';
import { fp32Blob, type Query } from './vector-data.js';

export interface QueryPlan {
  readonly key: string;
  readonly k: number;
  readonly passes: number;
  readonly ef?: number;
  readonly say: Say;
  readonly signal?: AbortSignal;
}

export interface PassFigures {
  /** Per pass, every query's latency in ms. */
  readonly vsimPasses: number[][];
  readonly truthPasses: number[][];
  /** The first pass's results, per query. */
  readonly approxResults: Scored[][];
  readonly truthResults: Scored[][];
}

export async function runQueryPasses(
  redis: Redis,
  queries: readonly Query[],
  plan: QueryPlan,
): Promise<PassFigures> {
  const figures: PassFigures = { vsimPasses: [], truthPasses: [], approxResults: [], truthResults: [] };
  for (let pass = 1; pass <= plan.passes; pass++) {
    const order: boolean[] = pass % 2 === 1 ? [false, true] : [true, false];
    for (const truth of order) {
      const { latencies, results } = await onePass(redis, queries, plan, truth);
      const p = latencyPercentiles(latencies);
      plan.say(
        `pass ${pass}/${plan.passes}: VSIM COUNT ${plan.k}${truth ? ' TRUTH' : ''}: ` +
          `p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms over ${queries.length} queries`,
      );
      (truth ? figures.truthPasses : figures.vsimPasses).push(latencies);
      if (pass === 1) (truth ? figures.truthResults : figures.approxResults).push(...results);
    }
  }
  return figures;
}

async function onePass(
  redis: Redis,
  queries: readonly Query[],
  plan: QueryPlan,
  truth: boolean,
): Promise<{ latencies: number[]; results: Scored[][] }> {
  const efArgs = plan.ef === undefined ? [] : ['EF', plan.ef];
  const latencies: number[] = [];
  const results: Scored[][] = [];
  for (const query of queries) {
    plan.signal?.throwIfAborted();
    const started = performance.now();
    const reply = await redis.call(
      'VSIM',
      plan.key,
      'FP32',
      fp32Blob(query.vector),
      'WITHSCORES',
      'COUNT',
      plan.k,
      ...efArgs,
      ...(truth ? ['TRUTH'] : []),
    );
    latencies.push(performance.now() - started);
    results.push(scored(reply));
  }
  return { latencies, results };
}
