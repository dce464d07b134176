// The vectors result as two tables (the set, the queries) and the notes under them.
import { formatTable } from '@genstream/stack';
import { describeMachineLoad } from '../machine.js';
import { formatRatio, formatSpread } from '../stats.js';
import type { RecallFigures, VectorsResult } from './results.js';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function formatVectorsReport(result: VectorsResult): string {
  const { settings, recall } = result;
  const notes = [
    `${settings.queries} queries: ${settings.perturbedQueries} perturbed copies of stored vectors (cosine ≈ 0.9), ${settings.freshQueries} fresh texts; median of ${settings.passes} passes ± spread.`,
    `recall with ties at TRUTH's k-th score counted as found: ${percent(recall.vsimVsTruthTieAware.all)}.`,
    `Redis ${result.redisVersion}; snapshots (forks) during the run: ${result.redisForksDuringRun}; took ${(result.durationMs / 1000).toFixed(0)} s.`,
    describeMachineLoad(result.machine),
  ];
  return `\n${setTable(result)}\n\n${queryTable(result)}\n\n${notes.join('\n')}`;
}

/** The set: how it was built, how fast, how large. */
function setTable(result: VectorsResult): string {
  const { settings, vadd, memory } = result;
  const cpu = result.redisCpuDuringBuild;
  return formatTable([
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
      `${cpu.cpuSeconds.toFixed(0)} s of ${cpu.wallSeconds.toFixed(0)} s`,
      `${count(settings.vectors / cpu.cpuSeconds)} VADD per Redis CPU second (less sensitive to other load)`,
    ],
  ]);
}

/** The queries: VSIM against TRUTH, latency and recall. */
function queryTable(result: VectorsResult): string {
  const { settings, vsim, truth, recall } = result;
  const recallCells = (figures: RecallFigures | null) =>
    figures === null
      ? ['-', '-', '-']
      : [percent(figures.all), percent(figures.perturbed), percent(figures.fresh)];
  const ef = settings.ef === 'server default' ? 'default EF' : `EF ${settings.ef}`;
  return formatTable([
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
}
