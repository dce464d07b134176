import { formatDuration } from './reindex-progress.js';

/** What a run of the reindex did, for its closing lines. */
export interface ReindexSummary {
  readonly version: number;
  readonly set: string;
  readonly spec: string;
  readonly embedderName: string;
  readonly dimension: number;
  /** True when this run continued a reindex a crash or a stop had cut short. */
  readonly resumed: boolean;
  /** Records of the topic up to the ends taken when the reindex began. */
  readonly total: number;
  /** Contents embedded and written by this run, and those the index refused. */
  readonly written: number;
  readonly refused: number;
  /** Elements of the new set at the end. */
  readonly elements: number;
  /** The set search read before; whether it was dropped (false when it did not exist). */
  readonly previous: string;
  readonly dropped: boolean;
  readonly seconds: number;
  /** Stopped by a signal before the end: run again to resume. */
  readonly interrupted: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The closing lines, in plain words. */
export function formatSummary(summary: ReindexSummary): string {
  const rate = summary.seconds > 0 ? Math.round(summary.written / summary.seconds) : summary.written;
  const run =
    `${count(summary.written)} contents written in ${formatDuration(summary.seconds)} ` +
    `(${count(rate)} records/s)` +
    (summary.refused > 0 ? `, ${count(summary.refused)} refused by the index (dead-lettered)` : '');
  if (summary.interrupted) {
    return (
      `reindex into ${summary.set} (version ${summary.version}) stopped before the end: ${run}.\n` +
      `Run the same command again to resume it from its committed offsets.`
    );
  }
  return [
    `reindex done: search reads ${summary.set} (version ${summary.version}), built by ${summary.spec} ` +
      `(${summary.embedderName}, ${summary.dimension} dimensions), ${count(summary.elements)} contents.`,
    `This run${summary.resumed ? ' (resumed)' : ''}: ${run}; ${count(summary.total)} records on the topic when the reindex began.`,
    summary.dropped
      ? `The old set ${summary.previous} was dropped.`
      : `The old set ${summary.previous} did not exist: nothing to drop.`,
  ].join('\n');
}
