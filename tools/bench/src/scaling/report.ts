// The scaling result as plain-text tables, the machine and the conclusions.
import { formatTable } from '@genstream/stack';
import { formatNumber } from '../all/part.js';
import { describeMachineLoad } from '../machine.js';
import { formatSpread } from '../stats.js';
import type { ScalingResult } from './results.js';

export function formatWritersTable(result: ScalingResult): string {
  const most = result.settings.instances.at(-1)!;
  return formatTable([
    [
      'writer',
      'store',
      '1 instance, records/s',
      `${most} instances, records/s`,
      `${most} vs 1`,
      'run by run',
      'per instance',
      'cores busy (writer)',
      `predicted, ${result.partitions} instances`,
    ],
    ...result.writers.map((w) => {
      const one = w.byInstances[0]!;
      const top = w.byInstances.at(-1)!;
      const busy = (entry: typeof one) =>
        `${entry.machineBusyCores.toFixed(1)} (${entry.writerCores.toFixed(1)})`;
      return [
        w.writer,
        w.store,
        formatSpread(one.recordsPerSecond),
        formatSpread(top.recordsPerSecond),
        `${w.ratio.toFixed(2)}x`,
        w.runRatios.map((ratio) => `${ratio.toFixed(2)}x`).join(', '),
        formatNumber(Math.round(top.perInstance)),
        `${busy(one)} / ${busy(top)}`,
        formatNumber(Math.round(w.predictedAtPartitions)),
      ];
    }),
  ]);
}

export function formatLayoutsTable(result: ScalingResult): string {
  return formatTable([
    ['layout', 'processes', 'events/s', 'vs every service once', 'latency p50 / p99 ms', 'cores busy'],
    ...result.layouts.map((l) => [
      `${l.layout}${l.layout === result.bestLayout ? ' (best)' : ''}`,
      String(l.processes),
      formatSpread(l.eventsPerSecond),
      `${l.ratio.toFixed(2)}x`,
      `${Math.round(l.latencyP50Ms.median)} / ${Math.round(l.latencyP99Ms.median)}`,
      l.machineBusyCores.toFixed(1),
    ]),
  ]);
}

export function formatScalingReport(result: ScalingResult): string {
  const s = result.settings;
  const { machine } = result;
  const drains = result.writerRuns.filter((run) => !run.steady);
  return [
    '',
    `Scaling on ${machine.cores} cores (${machine.cpu}), topics of ${result.partitions} partitions.`,
    ...(result.writers.length > 0
      ? [
          '',
          `Each writer drains ${formatNumber(s.records)} pre-filled realistic events with ${s.instances.join(' and with ')} ` +
            `instance(s): a fresh consumer group and an empty store each time, ${s.runs} run(s) each, ` +
            'alternating; records/s over the window from the group being Stable with every instance (all ' +
            `start together, see gate.ts) to the last commit, at most ${s.maxWindowMs / 1000} s. Cores busy: ` +
            "the whole machine (the writer's own processes).",
          formatWritersTable(result),
          ...drains.map(
            (run) =>
              `NOTE: ${run.writer} x${run.instances} run ${run.run} was done before its group was Stable ` +
              'with every instance: measured from the first join.',
          ),
        ]
      : []),
    ...(result.layouts.length > 0
      ? [
          '',
          `End to end: ${formatNumber(s.requests)} requests at once to ${s.concurrency} publishers, until ` +
            `each is in all four stores; ${s.layoutRuns} run(s) per layout and round, ${s.rounds} round(s).`,
          formatLayoutsTable(result),
        ]
      : []),
    '',
    ...result.conclusions.map((line) => `- ${line}`),
    '',
    `took ${(result.durationMs / 1000).toFixed(0)} s; ${describeMachineLoad(result.machine)}`,
    ...(result.charts.length > 0 ? [`charts: ${result.charts.join(', ')}`] : []),
  ].join('\n');
}
