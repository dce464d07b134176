// The writers result as a table and the notes under it.
import { formatTable } from '@genstream/stack';
import { describeMachineLoad } from '../machine.js';
import { formatRatio, formatSpread } from '../stats.js';
import type { WritersResult } from './results.js';

export function formatWritersReport(result: WritersResult): string {
  const { events, batchSize, runs } = result.settings;
  const table = formatTable([
    [
      'writer',
      'store',
      `batched (${batchSize}/call), records/s`,
      'one record per call, records/s',
      'batched / per record',
      'run by run',
    ],
    ...result.writers.map((writer) => [
      `${writer.service} (${writer.method})`,
      writer.store,
      formatSpread(writer.batched.recordsPerSecond),
      formatSpread(writer.perRecord.recordsPerSecond),
      formatRatio(writer.batched.recordsPerSecond.median, writer.perRecord.recordsPerSecond.median),
      `${writer.runRatios.min.toFixed(1)}x .. ${writer.runRatios.max.toFixed(1)}x`,
    ]),
  ]);
  return [
    '',
    table,
    '',
    `${events.toLocaleString('en-US')} events per path and run, ${runs} runs alternating the paths: median ± spread.`,
    'What one repository call sends:',
    ...result.writers.map((writer) => `  ${writer.writer}: ${writer.roundTrip}`),
    `took ${(result.durationMs / 1000).toFixed(0)} s; ${describeMachineLoad(result.machine)}`,
  ].join('\n');
}
