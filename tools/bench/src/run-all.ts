// `npm run bench [-- --only throughput,writers,cache,vectors] [--keep-stack]`: every benchmark part
// in sequence on the real servers, each compared with its baseline measured in the same invocation:
//   1. throughput  end to end through the five services vs the seed's synchronous handler (+ memory)
//   2. writers     each writer's repository in batches vs one record per call
//   3. cache       client-seen latency of a repeat answered from the exact cache vs a model call
//   4. vectors     VSIM (HNSW) vs VSIM TRUTH (exact scan): latency and recall; VADD/s
// Brings up the stack (what is not running) and stops at the end what it had to start, unless
// --keep-stack. Progress on stderr; ONE summary table of every figure on stdout; the whole result in
// .bench/bench-<timestamp>.json and .bench/latest.json (git-ignored). Exits 1 when a part failed
// (the other parts still run and are reported).
// The defaults below keep the whole run within 15 minutes on a 2-core machine.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ENV_VAR, formatTable, loadStackConfig, stackDown, stackUp } from '@genstream/stack';
import { benchCache, formatPercent, type CacheBenchOptions, type CacheBenchResult } from './cache.js';
import { formatRatio, formatSpread, type Spread } from './stats.js';
import { benchThroughput } from './throughput/bench-throughput.js';
import type { ThroughputOptions } from './throughput/options.js';
import type { ThroughputResult } from './throughput/results.js';
import { benchVectors, type VectorsOptions, type VectorsResult } from './vectors.js';
import { benchWriters, type WritersOptions, type WritersResult } from './writers.js';

/** What `npm run bench` must stay within with its defaults. */
const BUDGET_MS = 15 * 60_000;

const PART_NAMES = ['throughput', 'writers', 'cache', 'vectors'] as const;
type PartName = (typeof PART_NAMES)[number];

/**
 * What `npm run bench` runs each part with: the parts' own defaults, written out so that the whole
 * run stays within BUDGET_MS even if a part's defaults grow (about 8 minutes on a quiet 2-core
 * machine).
 */
const RUN_ALL_DEFAULTS = {
  throughput: { requests: 2_000, runs: 5, concurrency: 16, warmupRequests: 200 },
  writers: { events: 5_000, runs: 3, batchSize: 500 },
  cache: { latenciesMs: [500, 2_000], prompts: 20, warmup: 1, pollMs: 5 },
  vectors: { vectors: 100_000, queries: 200, k: 10, passes: 3, builds: 1 },
} as const satisfies {
  throughput: Partial<ThroughputOptions>;
  writers: Partial<WritersOptions>;
  cache: CacheBenchOptions;
  vectors: Partial<VectorsOptions>;
};

/** One line of the summary: a figure of genstream (or the candidate) against its baseline. */
interface SummaryRow {
  readonly part: PartName;
  readonly figure: string;
  readonly measured: string;
  readonly baseline: string;
  /** measured / baseline (for latencies below 1 is better), or '' when there is no baseline. */
  readonly ratio: string;
}

interface PartContext {
  readonly env: NodeJS.ProcessEnv;
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL of the running stack. */
  readonly serverEnv: Readonly<Record<string, string>>;
  readonly say: (message: string) => void;
  readonly signal: AbortSignal;
}

interface Part<Result> {
  readonly name: PartName;
  readonly what: string;
  run(context: PartContext): Promise<Result>;
  rows(result: Result): SummaryRow[];
  /** One line per comparison: what was compared with what. */
  notes(result: Result): string[];
}

type PartOutcome =
  | { readonly part: PartName; readonly ok: true; readonly durationMs: number; readonly result: unknown }
  | { readonly part: PartName; readonly ok: false; readonly durationMs: number; readonly error: string };

const ms = (value: number, digits = 0) => `${formatNumber(value, digits)} ms`;
const spreadMs = (spread: Spread, digits = 0) => `${formatSpread(spread, digits)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const throughput: Part<ThroughputResult> = {
  name: 'throughput',
  what: 'end to end through the five services vs the seed tutorial handler, and memory',
  run: ({ env, serverEnv, say, signal }) =>
    benchThroughput({ ...RUN_ALL_DEFAULTS.throughput, env, serverEnv, say, signal }),
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
  run: ({ env, say, signal }) => benchCache({ ...RUN_ALL_DEFAULTS.cache, env, say, signal }),
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

/** A part with its result type erased: runs it and turns its result into summary rows and notes. */
interface Runnable {
  readonly what: string;
  execute(context: PartContext): Promise<{ result: unknown; rows: SummaryRow[]; notes: string[] }>;
}

function runnable<Result>(part: Part<Result>): Runnable {
  return {
    what: part.what,
    execute: async (context) => {
      const result = await part.run(context);
      return { result, rows: part.rows(result), notes: part.notes(result) };
    },
  };
}

const PARTS: Record<PartName, Runnable> = {
  throughput: runnable(throughput),
  writers: runnable(writers),
  cache: runnable(cache),
  vectors: runnable(vectors),
};

/** The machine the figures were measured on. */
function machine(): Record<string, string | number> {
  const cpuList = cpus();
  let os = `Linux ${release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) os = `${pretty[1]}, kernel ${release()}`;
  } catch {
    // not Linux, or no os-release: the kernel release alone
  }
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os,
  };
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      only: { type: 'string' },
      'keep-stack': { type: 'boolean', default: false },
    },
  });
  const chosen = (values.only?.split(',').map((name) => name.trim()) ?? [...PART_NAMES]) as PartName[];
  const unknown = chosen.filter((name) => !(PART_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown part(s) ${unknown.join(', ')}; the parts: ${PART_NAMES.join(', ')}`);
  }

  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const loadAtStart = loadavg();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
  const sayAs = (prefix: string) => (message: string) =>
    process.stderr.write(`${elapsed()}  [${prefix}] ${message}\n`);
  const say = sayAs('bench');

  // Ctrl-C: the running part stops, cleans up (services, data, topics), the stack is stopped if this
  // run started it; a second Ctrl-C exits at once.
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping after cleaning up (Ctrl-C again exits at once)`);
    abort.abort(new Error(`interrupted by ${signal}`));
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  say(`parts: ${chosen.join(', ')}; bringing up the stack (as npm run stack:up)`);
  const config = loadStackConfig();
  const up = await stackUp(config);
  const serverEnv = Object.fromEntries(up.servers.map((server) => [ENV_VAR[server.name], server.address]));

  const outcomes: PartOutcome[] = [];
  const rows: SummaryRow[] = [];
  const notes: string[] = [];
  try {
    for (const [i, name] of chosen.entries()) {
      const part = PARTS[name];
      if (abort.signal.aborted) {
        outcomes.push({ part: name, ok: false, durationMs: 0, error: 'not run: interrupted' });
        continue;
      }
      say(`part ${i + 1}/${chosen.length}: ${name}: ${part.what}`);
      const partStarted = Date.now();
      try {
        const { result, ...summary } = await part.execute({
          env: process.env,
          serverEnv,
          say: sayAs(name),
          signal: abort.signal,
        });
        const durationMs = Date.now() - partStarted;
        outcomes.push({ part: name, ok: true, durationMs, result });
        rows.push(...summary.rows);
        notes.push(...summary.notes.map((line) => `${name}: ${line}`));
        say(`${name} done in ${(durationMs / 1000).toFixed(0)} s`);
      } catch (error) {
        const durationMs = Date.now() - partStarted;
        const message = (error as Error).message;
        outcomes.push({ part: name, ok: false, durationMs, error: message });
        say(`${name} FAILED after ${(durationMs / 1000).toFixed(0)} s: ${message}`);
      }
    }
  } finally {
    process.off('SIGTERM', onSignal);
    if (up.started.length > 0 && !values['keep-stack']) {
      say(`stopping the servers this run started: ${up.started.join(', ')}`);
      await stackDown(config, up.started);
    }
  }

  const durationMs = Date.now() - started;
  const failed = outcomes.filter((outcome) => !outcome.ok);
  const host = machine();
  const load = { atStart: loadAtStart, atEnd: loadavg() };
  const loadText = (values: readonly number[]) => values.map((value) => value.toFixed(1)).join(' ');
  const table = formatSummaryTable(rows, failed);
  const report = {
    benchmark: 'all',
    startedAt,
    durationMs,
    machine: host,
    loadAverage: load,
    command: `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
    defaults: RUN_ALL_DEFAULTS,
    ok: failed.length === 0,
    summary: rows,
    table,
    notes,
    parts: outcomes,
  };
  const dir = resolve(import.meta.dirname, '../../../.bench');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `bench-${startedAt.replace(/[:.]/g, '-')}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(resolve(dir, 'latest.json'), json);

  const partTimes = outcomes.map(
    (o) => `${o.part} ${(o.durationMs / 1000).toFixed(0)} s${o.ok ? '' : ' (FAILED)'}`,
  );
  process.stdout.write(
    [
      '',
      `genstream benchmarks, ${startedAt}: ${(durationMs / 1000 / 60).toFixed(1)} min (${partTimes.join(', ')})`,
      `machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}; ` +
        `load average (1, 5, 15 min) ${loadText(load.atStart)} at the start, ${loadText(load.atEnd)} at the end`,
      'Each figure: the median of its runs ± half their min..max range; ratio = measured / baseline, both',
      'measured in this invocation (for latencies below 1x is better).',
      '',
      table,
      '',
      'What was compared:',
      ...notes.map((line) => `- ${line}`),
      '',
      `Written: ${file} (and .bench/latest.json)`,
      ...(durationMs > BUDGET_MS
        ? [`WARNING: over the ${BUDGET_MS / 60_000} minutes npm run bench is meant to take (a busy machine?)`]
        : []),
      '',
    ].join('\n'),
  );
  if (failed.length > 0) {
    process.stderr.write(
      `\n${failed.length} part(s) failed: ${failed.map((f) => `${f.part} (${'error' in f ? f.error : ''})`).join('; ')}\n`,
    );
    return 1;
  }
  return 0;
}

function formatSummaryTable(rows: readonly SummaryRow[], failed: readonly PartOutcome[] = []): string {
  return formatTable([
    ['part', 'figure', 'measured', 'baseline', 'ratio'],
    ...rows.map((row) => [row.part, row.figure, row.measured, row.baseline, row.ratio]),
    ...failed.map((outcome) => [
      outcome.part,
      'FAILED: no figures',
      'error' in outcome ? outcome.error.split('\n')[0]! : '',
      '',
      '',
    ]),
  ]);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nbench failed: ${error.message}`);
    process.exit(1);
  },
);
