// What `npm run bench` prints: one table of every figure, the machine, and what was compared.
import { formatTable } from '@genstream/stack';
import type { PartOutcome, SummaryRow } from './part.js';

/** What `npm run bench` must stay within with its defaults. */
export const BUDGET_MS = 15 * 60_000;

export interface RunAllSummary {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: Record<string, string | number>;
  readonly loadAverage: { readonly atStart: readonly number[]; readonly atEnd: readonly number[] };
  readonly outcomes: readonly PartOutcome[];
  readonly table: string;
  readonly notes: readonly string[];
}

export function formatSummaryTable(rows: readonly SummaryRow[], failed: readonly PartOutcome[] = []): string {
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

export function formatRunAllReport(summary: RunAllSummary): string {
  const { durationMs, machine: host, loadAverage: load } = summary;
  const loadText = (values: readonly number[]) => values.map((value) => value.toFixed(1)).join(' ');
  const partTimes = summary.outcomes.map(
    (o) => `${o.part} ${(o.durationMs / 1000).toFixed(0)} s${o.ok ? '' : ' (FAILED)'}`,
  );
  return [
    '',
    `genstream benchmarks, ${summary.startedAt}: ${(durationMs / 1000 / 60).toFixed(1)} min (${partTimes.join(', ')})`,
    `machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}; ` +
      `load average (1, 5, 15 min) ${loadText(load.atStart)} at the start, ${loadText(load.atEnd)} at the end`,
    'Each figure: the median of its runs ± half their min..max range; ratio = measured / baseline, both',
    'measured in this invocation (for latencies below 1x is better).',
    '',
    summary.table,
    '',
    'What was compared:',
    ...summary.notes.map((line) => `- ${line}`),
    ...(durationMs > BUDGET_MS
      ? [
          '',
          `WARNING: over the ${BUDGET_MS / 60_000} minutes npm run bench is meant to take (a busy machine?)`,
        ]
      : []),
  ].join('\n');
}
