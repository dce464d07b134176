// What the figures say in plain words: what this machine's cores allow, and what the per-instance
// rates and the partitions predict for more cores.
import { formatNumber } from '../all/part.js';
import type { LayoutResult, WriterScaling } from './results.js';
import { bestLayout, predictedRate } from './summary.js';

export interface ConclusionInput {
  readonly cores: number;
  readonly partitions: number;
  readonly writers: readonly WriterScaling[];
  readonly layouts: readonly LayoutResult[];
}

const rate = (value: number) => formatNumber(Math.round(value));
const cores = (value: number) => value.toFixed(1);

export function conclusionsOf(input: ConclusionInput): string[] {
  return [
    ...coresAllow(input),
    ...(input.writers.length > 0 ? [predictionFor(input)] : []),
    ...(input.layouts.length > 1 ? [layoutLine(input.layouts)] : []),
  ];
}

/** What N instances gave on this machine, writer by writer. */
function coresAllow({ cores: total, writers }: ConclusionInput): string[] {
  if (writers.length === 0) return [];
  const lines = writers.map((w) => {
    const one = w.byInstances[0]!;
    const most = w.byInstances.at(-1)!;
    const verdict = verdictOf(w.ratio, most.instances);
    return (
      `${w.writer}: ${rate(one.recordsPerSecond.median)} records/s with 1 instance ` +
      `(${cores(one.writerCores)} cores of its own, ${cores(one.machineBusyCores)} busy in all), ` +
      `${rate(most.recordsPerSecond.median)} with ${most.instances} (${w.ratio.toFixed(2)}x, ` +
      `${rate(most.perInstance)} per instance; ${cores(most.machineBusyCores)} cores busy): ${verdict}.`
    );
  });
  return [
    `What ${total} cores allow: the four servers (Kafka, PostgreSQL, FerretDB, Redis), the services and ` +
      `this bench all share them, so a second or third instance mostly splits the same CPU with the ` +
      'first rather than adding its own; a writer gains only as far as one instance left cores idle ' +
      '(waiting on its store or on Kafka).',
    ...lines,
  ];
}

/** How N instances compare with one, in words. */
export function verdictOf(ratio: number, instances: number): string {
  if (ratio >= 0.8 * instances) return 'close to linear';
  if (ratio >= 1.15) return 'a partial gain';
  if (ratio >= 0.9) return 'no real gain: the instances share the same CPU';
  return `a loss: ${instances} processes contend for the same CPU`;
}

/** Per-instance rate x instances while cores are free, capped by the partitions. */
function predictionFor({ partitions, writers }: ConclusionInput): string {
  const each = writers.map((w) => {
    const one = w.byInstances[0]!;
    const atCap = predictedRate(one.recordsPerSecond.median, partitions, partitions);
    return (
      `${w.writer} ${rate(one.recordsPerSecond.median)} x ${partitions} = ${rate(atCap)} records/s ` +
      `(needing about ${cores(one.writerCores * partitions)} cores for its instances alone)`
    );
  });
  return (
    `What more cores predict: each instance of a group reads its own partitions, so with a free core ` +
    `per instance (and stores that keep up) a writer drains about its one-instance rate times its ` +
    `instances, up to the ${partitions} partitions of a topic (a ${partitions + 1}th instance would ` +
    `idle; more needs more partitions, npm run topics -- --partitions N): ${each.join('; ')}. ` +
    'The servers need cores of their own on top; on this machine they already take part of the two.'
  );
}

function layoutLine(layouts: readonly LayoutResult[]): string {
  const best = bestLayout(layouts)!;
  const baseline = layouts[0]!;
  const others = layouts
    .slice(1)
    .map((l) => `${l.layout} ${l.ratio.toFixed(2)}x`)
    .join(', ');
  return (
    `End to end, every service once carried ${rate(baseline.eventsPerSecond.median)} events/s; against ` +
    `it: ${others}. Best here: ${best.layout} (${rate(best.eventsPerSecond.median)} events/s, ` +
    `${best.processes} processes, ${cores(best.machineBusyCores)} cores busy).`
  );
}
