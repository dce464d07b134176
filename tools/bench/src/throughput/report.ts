// The throughput result as plain-text tables, and one line per run for the progress.
import { SERVICE_NAMES, STORES } from '@genstream/launcher';
import { formatTable } from '@genstream/stack';
import { formatRatio, formatSpread, type Spread } from '../stats.js';
import type { RunMeasurement, ThroughputResult } from './results.js';

/** The result as plain-text tables: the comparison, where the time goes, and memory. */
export function formatThroughputTable(result: ThroughputResult): string {
  const { genstream: g, baseline: b, settings } = result;
  const header = ['', 'genstream', 'baseline', 'genstream/baseline'];
  const row = (label: string, gs: Spread, bs: Spread, digits = 0) => [
    label,
    formatSpread(gs, digits),
    formatSpread(bs, digits),
    formatRatio(gs.median, bs.median),
  ];
  const comparison = formatTable([
    header,
    row('events/s', g.eventsPerSecond, b.eventsPerSecond),
    row('latency p50 (ms)', g.latencyMs.p50, b.latencyMs.p50),
    row('latency p95 (ms)', g.latencyMs.p95, b.latencyMs.p95),
    row('latency p99 (ms)', g.latencyMs.p99, b.latencyMs.p99),
    row('latency from burst p50 (ms)', g.latencyFromBurstMs.p50, b.latencyFromBurstMs.p50),
    row('latency from burst p99 (ms)', g.latencyFromBurstMs.p99, b.latencyFromBurstMs.p99),
  ]);
  const stores = formatTable([
    ['store', 'genstream p50 (ms)', 'baseline p50 (ms)', 'poll interval genstream / baseline (ms)'],
    ...STORES.map((store) => [
      store,
      formatSpread(g.storeP50Ms[store]),
      formatSpread(b.storeP50Ms[store]),
      `${Math.round(g.pollIntervalMs[store].median)} / ${Math.round(b.pollIntervalMs[store].median)}`,
    ]),
  ]);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const memory = formatTable([
    ['process', 'idle RSS', 'peak RSS (median of runs)', 'highest peak'],
    ...result.resources.map((row) => [
      row.process,
      row.idleRssBytes > 0 ? mib(row.idleRssBytes) : '-',
      `${mib(row.peakRssBytes.median)} ±${(row.peakRssBytes.relativeSpread * 100).toFixed(1)}%`,
      mib(row.maxRssBytes),
    ]),
  ]);
  const servicesTotal = result.resources
    .filter((row) => (SERVICE_NAMES as readonly string[]).includes(row.process))
    .reduce((sum, row) => sum + row.maxRssBytes, 0);
  const pairs = result.pairRatios.map((ratio) => `${ratio.toFixed(2)}x`).join(', ');
  const stages = result.genstreamStages;
  return [
    `End-to-end throughput: N=${settings.requests} requests per run, C=${settings.concurrency} workers, ` +
      `median of ${settings.runs} runs each (±: half the min..max range), alternating.`,
    '',
    comparison,
    '',
    `events/s of each pair of runs, genstream/baseline: ${pairs}.`,
    '',
    'Per store: seen there (MongoDB: write acknowledged) - started, and how often each was checked:',
    stores,
    `genstream before the stores (p50 from publish began): Kafka acknowledged the publish after ` +
      `${formatSpread(stages.publishAckP50Ms)} ms, ContentGenerated read back after ` +
      `${formatSpread(stages.generatedP50Ms)} ms. Baseline handler on its own clock (no polling): ` +
      `${formatSpread(result.baselineHandlerP50Ms)} ms.`,
    '',
    'Resident memory during the measured runs (VmRSS, sampled every ' +
      `${settings.sampleMs} ms; services in genstream runs):`,
    memory,
    `the five services together, highest peaks added: ${mib(servicesTotal)}`,
  ].join('\n');
}

export function describeRun(run: RunMeasurement): string {
  const latency = run.latencyMs;
  const extra =
    run.publishMs !== undefined
      ? `, all published in ${(run.publishMs / 1000).toFixed(2)} s`
      : `, handler alone p50 ${Math.round(run.handlerLatencyMs?.p50 ?? 0)} ms`;
  return (
    `${Math.round(run.eventsPerSecond).toLocaleString('en-US')} events/s (${run.requests} in ` +
    `${(run.durationMs / 1000).toFixed(2)} s), latency p50 ${Math.round(latency.p50)} / p95 ` +
    `${Math.round(latency.p95)} / p99 ${Math.round(latency.p99)} ms${extra}`
  );
}
