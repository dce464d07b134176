// The five parts of `npm run bench`, each with the settings `npm run bench` runs it with and the
// summary rows it contributes.
import { benchCache } from '../cache/bench-cache.js';
import { formatPercent } from '../cache/report.js';
import type { CacheBenchOptions, CacheBenchResult } from '../cache/results.js';
import { formatRatio, formatSpread, type Spread } from '../stats.js';
import { benchThroughput } from '../throughput/bench-throughput.js';
import type { ThroughputOptions } from '../throughput/options.js';
import type { ThroughputResult } from '../throughput/results.js';
import { benchScaling } from '../scaling/bench-scaling.js';
import { withScalingChart } from '../scaling/chart.js';
import type { ScalingOptions } from '../scaling/options.js';
import type { ScalingResult } from '../scaling/results.js';
import { benchVectors } from '../vectors/bench-vectors.js';
import type { VectorsOptions, VectorsResult } from '../vectors/results.js';
import { benchWriters } from '../writers/bench-writers.js';
import type { WritersOptions, WritersResult } from '../writers/results.js';
import {
  formatNumber,
  mib,
  ms,
  runnable,
  spreadMs,
  type Part,
  type PartName,
  type Runnable,
  type SummaryRow,
} from './part.js';

/**
 * What `npm run bench` runs each part with: the parts' own defaults, written out so that the whole
 * run stays within BUDGET_MS even if a part's defaults grow (4-5 minutes for the first four parts
 * on a quiet 2-core machine, and about 3.5 more for scaling).
 */
export const RUN_ALL_DEFAULTS = {
  throughput: { requests: 2_000, runs: 5, concurrency: 16, warmupRequests: 200 },
  writers: { events: 5_000, runs: 3, batchSize: 500 },
  cache: { latenciesMs: [500, 2_000], prompts: 20, warmup: 1, pollMs: 5 },
  vectors: { vectors: 100_000, queries: 200, k: 10, passes: 3, builds: 1 },
  scaling: { records: 30_000, windowSeconds: 10, runs: 2, requests: 2_000, layoutRuns: 2, rounds: 1 },
} as const satisfies {
  throughput: Partial<ThroughputOptions>;
  writers: Partial<WritersOptions>;
  cache: Partial<CacheBenchOptions>;
  vectors: Partial<VectorsOptions>;
  scaling: Partial<ScalingOptions>;
};

const throughput: Part<ThroughputResult> = {
  name: 'throughput',
  what: 'end to end through the five services vs the seed tutorial handler, and memory',
  run: ({ env, serverEnv, startedServers, say, signal }) =>
    benchThroughput({ ...RUN_ALL_DEFAULTS.throughput, env, serverEnv, startedServers, say, signal }),
  rows: (r) => {
    const { genstream: g, baseline: b, settings } = r;
    const at = `C=${settings.concurrency}, ${formatNumber(settings.requests)} requests/run`;
    const row = (figure: string, gs: Spread, bs: Spread, unit: string): SummaryRow => ({
      part: 'throughput',
      figure,
      measured: `${formatSpread(gs)}${unit}`,
      baseline: `${formatSpread(bs)}${unit}`,
      ratio: formatRatio(gs.median, bs.median),
    });
    return [
      row(`events/s, genstream vs seed handler (${at})`, g.eventsPerSecond, b.eventsPerSecond, ''),
      row('latency p50, request to its last store', g.latencyMs.p50, b.latencyMs.p50, ' ms'),
      row('latency p99, request to its last store', g.latencyMs.p99, b.latencyMs.p99, ' ms'),
      row(
        'latency p50 from the burst (every queue counted)',
        g.latencyFromBurstMs.p50,
        b.latencyFromBurstMs.p50,
        ' ms',
      ),
      row(
        'latency p99 from the burst (every queue counted)',
        g.latencyFromBurstMs.p99,
        b.latencyFromBurstMs.p99,
        ' ms',
      ),
      ...r.resources.map((resource) => ({
        part: 'throughput' as const,
        figure: `peak RSS ${resource.process} (idle ${resource.idleRssBytes > 0 ? mib(resource.idleRssBytes) : '-'})`,
        measured: `${mib(resource.peakRssBytes.median)} ±${(resource.peakRssBytes.relativeSpread * 100).toFixed(1)}%`,
        baseline: '',
        ratio: '',
      })),
    ];
  },
  notes: (r) => [...r.definitions],
};

const writers: Part<WritersResult> = {
  name: 'writers',
  what: "each writer's repository in batches vs one record per call",
  run: ({ serverEnv, say, signal }) =>
    benchWriters({
      ...RUN_ALL_DEFAULTS.writers,
      databaseUrl: serverEnv.DATABASE_URL!,
      mongoUrl: serverEnv.MONGO_URL!,
      redisUrl: serverEnv.REDIS_URL!,
      say,
      signal,
    }),
  rows: (r) =>
    r.writers.map((w) => ({
      part: 'writers',
      figure: `records/s ${w.service} ${w.method}, batches of ${r.settings.batchSize} vs 1 per call`,
      measured: formatSpread(w.batched.recordsPerSecond),
      baseline: formatSpread(w.perRecord.recordsPerSecond),
      ratio: formatRatio(w.batched.recordsPerSecond.median, w.perRecord.recordsPerSecond.median),
    })),
  notes: (r) => [
    `${formatNumber(r.settings.events)} events per path and run, ${r.settings.runs} runs; ${r.settings.order}.`,
    ...r.writers.map((w) => `${w.writer}: ${w.roundTrip}`),
  ],
};

const cache: Part<CacheBenchResult> = {
  name: 'cache',
  what: 'client-seen latency: a repeat answered from the exact cache vs a model call',
  run: ({ env, serverEnv, say, signal }) =>
    benchCache({ ...RUN_ALL_DEFAULTS.cache, env, serverEnv, say, signal }),
  rows: (r) =>
    r.latencies.flatMap((l) => {
      const model = `model ${ms(l.simulatedLatencyMs)}`;
      return [
        {
          part: 'cache' as const,
          figure: `client latency p50, exact-cache hit vs model call (${model})`,
          measured: spreadMs(l.hit.spread),
          baseline: spreadMs(l.miss.spread),
          ratio: `${formatRatio(l.hit.p50Ms, l.miss.p50Ms)} (-${formatPercent(l.reductionP50)})`,
        },
        {
          part: 'cache' as const,
          figure: `client latency p99, exact-cache hit vs model call (${model})`,
          measured: ms(l.hit.p99Ms),
          baseline: ms(l.miss.p99Ms),
          ratio: `${formatRatio(l.hit.p99Ms, l.miss.p99Ms)} (-${formatPercent(l.reductionP99)})`,
        },
      ];
    }),
  notes: (r) => [
    `${r.settings.prompts} distinct prompts per simulated model latency (LLM_LOCAL_LATENCY_MS, the generation ` +
      'service restarted for each): POST /v1/generations to GET .../{id} answering done, polled every ' +
      `${r.settings.pollMs} ms; first a model call (cacheHit NONE), then the same prompt, model and user ` +
      'with a new requestId (cacheHit EXACT; checked, with no model call counted). Reduction 1 - hit/miss; ' +
      `the seed claims ${formatPercent(r.claimedReduction)}.`,
  ],
};

const vectors: Part<VectorsResult> = {
  name: 'vectors',
  what: 'VSIM (HNSW) vs VSIM TRUTH (exact scan): latency, recall; VADD/s and memory',
  run: ({ serverEnv, say, signal }) =>
    benchVectors({ ...RUN_ALL_DEFAULTS.vectors, redisUrl: serverEnv.REDIS_URL!, say, signal }),
  rows: (r) => {
    const s = r.settings;
    const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
    const row = (figure: string, measured: string, baseline = '', ratio = ''): SummaryRow => ({
      part: 'vectors',
      figure,
      measured,
      baseline,
      ratio,
    });
    const fp32 = r.recall.vsimVsExactFp32;
    return [
      row(
        `VADD/s, ${formatNumber(s.vectors)} x ${s.dimension} Q8, pipelines of ${s.pipeline}, ${s.builds} build(s)`,
        formatSpread(r.vadd.perSecond),
      ),
      row(
        'vector set memory per vector' +
          (r.memory.memoryUsageBytes === null ? '' : ` (${mib(r.memory.memoryUsageBytes)} in all)`),
        `${formatNumber(r.memory.bytesPerVector)} B`,
      ),
      row(
        `query p50, VSIM COUNT ${s.k} vs VSIM TRUTH`,
        spreadMs(r.vsim.p50Ms, 2),
        spreadMs(r.truth.p50Ms, 2),
        formatRatio(r.vsim.p50Ms.median, r.truth.p50Ms.median),
      ),
      row(
        `query p99, VSIM COUNT ${s.k} vs VSIM TRUTH`,
        spreadMs(r.vsim.p99Ms, 2),
        spreadMs(r.truth.p99Ms, 2),
        formatRatio(r.vsim.p99Ms.median, r.truth.p99Ms.median),
      ),
      row(
        'queries/s, one in flight, VSIM vs VSIM TRUTH',
        formatSpread(r.vsim.queriesPerSecond),
        formatSpread(r.truth.queriesPerSecond),
        formatRatio(r.vsim.queriesPerSecond.median, r.truth.queriesPerSecond.median),
      ),
      row(`recall@${s.k}, VSIM vs TRUTH (same Q8 vectors)`, percent(r.recall.vsimVsTruth.all)),
      ...(fp32 ? [row(`recall@${s.k}, VSIM vs exact FP32 scan`, percent(fp32.all))] : []),
    ];
  },
  notes: (r) => [
    `${formatNumber(r.settings.vectors)} vectors (${r.settings.vectorSource}); ${r.settings.queries} queries ` +
      `(${r.settings.perturbedQueries} perturbed stored vectors, ${r.settings.freshQueries} fresh texts), ` +
      `${r.settings.passes} passes, median of the passes ± spread; Redis ${r.redisVersion}.`,
  ],
};

const scaling: Part<ScalingResult> = {
  name: 'scaling',
  what: 'each writer with 3 instances vs 1 on the same topic; end-to-end events/s by replica layout',
  run: async ({ env, serverEnv, say, signal }) =>
    withScalingChart(await benchScaling({ ...RUN_ALL_DEFAULTS.scaling, env, serverEnv, say, signal })),
  rows: (r) => {
    const most = r.settings.instances.at(-1)!;
    const writers = r.writers.map((w): SummaryRow => {
      const one = w.byInstances[0]!;
      const top = w.byInstances.at(-1)!;
      return {
        part: 'scaling',
        figure: `records/s ${w.writer}, ${most} instances vs 1 (same topic, fresh group)`,
        measured: formatSpread(top.recordsPerSecond),
        baseline: formatSpread(one.recordsPerSecond),
        ratio: formatRatio(top.recordsPerSecond.median, one.recordsPerSecond.median),
      };
    });
    const baseline = r.layouts[0];
    const layouts = r.layouts.slice(1).map((l): SummaryRow => ({
      part: 'scaling',
      figure: `events/s end to end, ${l.layout} vs every service once${l.layout === r.bestLayout ? ' (best)' : ''}`,
      measured: formatSpread(l.eventsPerSecond),
      baseline: baseline === undefined ? '' : formatSpread(baseline.eventsPerSecond),
      ratio: `${l.ratio.toFixed(2)}x`,
    }));
    return [...writers, ...layouts];
  },
  notes: (r) => [
    `${formatNumber(r.settings.records)} pre-filled events on ${r.partitions} partitions; each writer drains them with ` +
      `${r.settings.instances.join(' and ')} instance(s), a fresh group and an empty store each time (window at most ` +
      `${r.settings.maxWindowMs / 1000} s); end to end ${formatNumber(r.settings.requests)} requests per run; ` +
      `${r.machine.cores} cores. Picture: ${r.charts.join(', ')}.`,
    ...r.conclusions,
  ],
};

export const PARTS: Record<PartName, Runnable> = {
  throughput: runnable(throughput),
  writers: runnable(writers),
  cache: runnable(cache),
  vectors: runnable(vectors),
  scaling: runnable(scaling),
};
