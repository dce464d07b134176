// `npm run bench [-- --only throughput,writers,cache,vectors,scaling] [--keep-stack]`: every benchmark part
// in sequence on the real servers, each compared with its baseline measured in the same invocation:
//   1. throughput  end to end through the five services vs the seed's synchronous handler (+ memory)
//   2. writers     each writer's repository in batches vs one record per call
//   3. cache       client-seen latency of a repeat answered from the exact cache vs a model call
//   4. vectors     VSIM (HNSW) vs VSIM TRUTH (exact scan): latency and recall; VADD/s
//   5. scaling     each writer with 3 instances vs 1 on the same topic; end-to-end replica layouts
// Progress on stderr; ONE summary table of every figure on stdout; the whole result in
// .bench/bench-<timestamp>.json and .bench/latest.json. Exits 1 when a part failed (the other
// parts still run and are reported). The defaults (parts.ts) keep the whole run within 15 minutes
// on a 2-core machine.
import { loadavg } from 'node:os';
import { machine } from '../machine.js';
import { benchFile, stampedBenchFile } from '../runner/bench-files.js';
import { runBenchCommand, type BenchContext } from '../runner/bench-command.js';
import { knownNames, listFlag } from '../runner/flags.js';
import { PART_NAMES, type PartName, type PartOutcome, type SummaryRow } from './part.js';
import { PARTS, RUN_ALL_DEFAULTS } from './parts.js';
import { formatRunAllReport, formatSummaryTable } from './summary.js';

runBenchCommand({
  name: 'bench',
  usage: '[--only throughput,writers,cache,vectors,scaling]',
  options: { only: { type: 'string' } },
  servers: 'all',
  run: async (flags, context) => {
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const loadAtStart = loadavg();
    const chosen = knownNames('part', listFlag(flags, 'only'), PART_NAMES);
    context.say(`parts: ${chosen.join(', ')}`);
    const { outcomes, rows, notes } = await runParts(chosen, context);
    const failed = outcomes.filter((outcome) => !outcome.ok);
    const table = formatSummaryTable(rows, failed);
    const summary = {
      startedAt,
      durationMs: Date.now() - started,
      machine: machine(),
      loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
      outcomes,
      table,
      notes,
    };
    const report = {
      benchmark: 'all',
      startedAt,
      durationMs: summary.durationMs,
      machine: summary.machine,
      loadAverage: summary.loadAverage,
      command: `npm run bench${context.args.length > 0 ? ` -- ${context.args.join(' ')}` : ''}`,
      defaults: RUN_ALL_DEFAULTS,
      ok: failed.length === 0,
      summary: rows,
      table,
      notes,
      parts: outcomes,
    };
    const failure =
      failed.length === 0
        ? undefined
        : `${failed.length} part(s) failed: ${failed.map((f) => `${f.part} (${'error' in f ? f.error : ''})`).join('; ')}`;
    return {
      report: formatRunAllReport(summary),
      json: report,
      files: [stampedBenchFile('bench', startedAt), benchFile('latest.json')],
      failure,
    };
  },
});

/** Each part in turn; a failed part is reported and the next one still runs. */
async function runParts(
  chosen: readonly PartName[],
  context: BenchContext,
): Promise<{ outcomes: PartOutcome[]; rows: SummaryRow[]; notes: string[] }> {
  const outcomes: PartOutcome[] = [];
  const rows: SummaryRow[] = [];
  const notes: string[] = [];
  for (const [i, name] of chosen.entries()) {
    const part = PARTS[name];
    if (context.signal.aborted) {
      outcomes.push({ part: name, ok: false, durationMs: 0, error: 'not run: interrupted' });
      continue;
    }
    context.say(`part ${i + 1}/${chosen.length}: ${name}: ${part.what}`);
    const partStarted = Date.now();
    try {
      const { result, ...summary } = await part.execute({
        env: context.env,
        serverEnv: context.serverEnv,
        startedServers: context.startedServers,
        say: context.sayAs(name),
        signal: context.signal,
      });
      const durationMs = Date.now() - partStarted;
      outcomes.push({ part: name, ok: true, durationMs, result });
      rows.push(...summary.rows);
      notes.push(...summary.notes.map((line) => `${name}: ${line}`));
      context.say(`${name} done in ${(durationMs / 1000).toFixed(0)} s`);
    } catch (error) {
      const durationMs = Date.now() - partStarted;
      const message = (error as Error).message;
      outcomes.push({ part: name, ok: false, durationMs, error: message });
      context.say(`${name} FAILED after ${(durationMs / 1000).toFixed(0)} s: ${message}`);
    }
  }
  return { outcomes, rows, notes };
}
