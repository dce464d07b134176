// `npm run bench:vectors [-- --vectors N --queries Q --k K --pipeline P --builds B --passes R --ef EF --seed S --no-exact]`:
// VADD/s, VSIM latency and recall@k of a Redis vector set, against VSIM ... TRUTH measured in the
// same run. Starts Redis from the local stack when it is not running (and stops it after);
// REDIS_URL points it at another server. Writes .bench/vectors.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable, loadStackConfig, stackDown, stackEnv, stackUp } from '@genstream/stack';
import { formatRatio, formatSpread } from './stats.js';
import { benchVectors, type MachineLoad, type RecallFigures, type VectorsResult } from './vectors.js';

const started = Date.now();
const say = (message: string) =>
  process.stderr.write(
    `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  [bench:vectors] ${message}\n`,
  );

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      vectors: { type: 'string' },
      queries: { type: 'string' },
      k: { type: 'string' },
      pipeline: { type: 'string' },
      builds: { type: 'string' },
      passes: { type: 'string' },
      ef: { type: 'string' },
      seed: { type: 'string' },
      'no-exact': { type: 'boolean' },
    },
  });
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

  const config = loadStackConfig();
  say('bringing up Redis (npm run stack:up does the same)');
  const up = await stackUp(config, ['redis']);
  const controller = new AbortController();
  const onSignal = () => {
    say('interrupted: cleaning up');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  let result: VectorsResult;
  try {
    result = await benchVectors({
      redisUrl: stackEnv(config, ['redis']).REDIS_URL!,
      vectors: number(values.vectors),
      queries: number(values.queries),
      k: number(values.k),
      pipeline: number(values.pipeline),
      builds: number(values.builds),
      passes: number(values.passes),
      ef: number(values.ef),
      seed: number(values.seed),
      exactCheck: !values['no-exact'],
      say,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    if (up.started.length > 0) {
      say(`stopping what it started: ${up.started.join(', ')}`);
      await stackDown(config, up.started);
    }
  }

  const file = resolve(import.meta.dirname, '../../../.bench/vectors.json');
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(report(result));
  console.log(`\nwritten to ${file}`);
  return 0;
}

function report(result: VectorsResult): string {
  const { settings, vadd, memory, vsim, truth, recall } = result;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const count = (value: number) => Math.round(value).toLocaleString('en-US');
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const recallCells = (figures: RecallFigures | null) =>
    figures === null
      ? ['-', '-', '-']
      : [percent(figures.all), percent(figures.perturbed), percent(figures.fresh)];
  const ef = settings.ef === 'server default' ? 'default EF' : `EF ${settings.ef}`;
  const runs = `median of ${settings.passes} passes ± spread`;

  const insertion = formatTable([
    ['vector set', 'value', 'how'],
    [
      'vectors',
      `${count(settings.vectors)} × ${settings.dimension} (Q8, with attributes)`,
      'LocalHashedEmbedder over synthetic topical texts (seeded)',
    ],
    [
      'embedding in Node',
      `${count(result.embedding.textsPerSecond)} texts/s (${result.embedding.seconds.toFixed(1)} s)`,
      'before any VADD, not part of VADD/s',
    ],
    [
      'VADD/s',
      settings.builds === 1 ? `${count(vadd.perSecond.median)} (one build)` : formatSpread(vadd.perSecond),
      `pipelines of ${settings.pipeline}, one in flight; ` +
        (settings.builds === 1
          ? 'one build of the whole set'
          : `median of ${settings.builds} builds ± spread`),
    ],
    [
      'VADD/s by tenth of the build',
      `${count(vadd.segmentRates[0]!)} first → ${count(vadd.segmentRates.at(-1)!)} last`,
      `median ${formatSpread(vadd.segmentSpread)} over the tenths (segments of one build, not independent runs)`,
    ],
    [
      'memory',
      memory.memoryUsageBytes === null ? '-' : `${mib(memory.memoryUsageBytes)} (MEMORY USAGE)`,
      `${count(memory.bytesPerVector)} B/vector; INFO used_memory grew ${mib(memory.usedMemoryDeltaBytes)}`,
    ],
    [
      'Redis CPU during the build',
      `${result.redisCpuDuringBuild.cpuSeconds.toFixed(0)} s of ${result.redisCpuDuringBuild.wallSeconds.toFixed(0)} s`,
      `${count(settings.vectors / result.redisCpuDuringBuild.cpuSeconds)} VADD per Redis CPU second (less sensitive to other load)`,
    ],
  ]);
  const queries = formatTable([
    [
      `query (COUNT ${settings.k}, one in flight)`,
      'p50 ms',
      'p99 ms',
      'queries/s',
      `recall@${settings.k}`,
      'perturbed',
      'fresh',
      'recall against',
    ],
    [
      `VSIM (HNSW, ${ef})`,
      formatSpread(vsim.p50Ms, 2),
      formatSpread(vsim.p99Ms, 2),
      formatSpread(vsim.queriesPerSecond),
      ...recallCells(recall.vsimVsTruth),
      'TRUTH (same Q8 vectors)',
    ],
    ['', '', '', '', ...recallCells(recall.vsimVsExactFp32), 'exact FP32 scan in Node'],
    [
      'VSIM TRUTH (exact scan, baseline)',
      formatSpread(truth.p50Ms, 2),
      formatSpread(truth.p99Ms, 2),
      formatSpread(truth.queriesPerSecond),
      ...recallCells(recall.truthVsExactFp32),
      'exact FP32 scan in Node',
    ],
    [
      'TRUTH / VSIM',
      formatRatio(truth.p50Ms.median, vsim.p50Ms.median),
      formatRatio(truth.p99Ms.median, vsim.p99Ms.median),
      formatRatio(vsim.queriesPerSecond.median, truth.queriesPerSecond.median),
      '',
      '',
      '',
      'VSIM/s ÷ TRUTH/s in the queries/s column',
    ],
  ]);
  const notes = [
    `${settings.queries} queries: ${settings.perturbedQueries} perturbed copies of stored vectors (cosine ≈ 0.9), ${settings.freshQueries} fresh texts; ${runs}.`,
    `recall with ties at TRUTH's k-th score counted as found: ${percent(recall.vsimVsTruthTieAware.all)}.`,
    `Redis ${result.redisVersion}; snapshots (forks) during the run: ${result.redisForksDuringRun}; took ${(result.durationMs / 1000).toFixed(0)} s.`,
    machineNote(result.machine),
  ];
  return `\n${insertion}\n\n${queries}\n\n${notes.join('\n')}`;
}

function machineNote(machine: MachineLoad): string {
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(1)).join(' / ');
  return `${machine.cpus} CPUs; load average (1/5/15 min) ${load(machine.loadAverageAtStart)} at the start, ${load(machine.loadAverageAtEnd)} at the end.`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nbench:vectors failed: ${error.message}`);
    process.exit(1);
  },
);
