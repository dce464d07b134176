// `npm run bench:auth [-- --requests 2000] [--concurrency 16] [--rounds 5]`: what authentication
// costs a request (API key check and rate limit, both in Redis) against the same service with
// AUTH=off, in the same run. Needs Kafka and Redis (the runner starts what is not running), starts
// and stops two generation instances itself, prints a table, writes .bench/auth-<timestamp>.json.
import { stampedBenchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import { integerFlag, valueFlags } from '../runner/flags.js';
import { formatRatio, formatSpread } from '../stats.js';
import { benchAuth, type AuthBenchResult } from './bench-auth.js';

runBenchCommand({
  name: 'auth',
  usage: '[--requests 2000] [--concurrency 16] [--rounds 5]',
  options: valueFlags('requests', 'concurrency', 'rounds'),
  servers: ['kafka', 'redis'],
  run: async (flags, { env, serverEnv, say, signal }) => {
    const result = await benchAuth({
      requests: integerFlag(flags, 'requests'),
      concurrency: integerFlag(flags, 'concurrency'),
      rounds: integerFlag(flags, 'rounds'),
      serverEnv,
      env,
      say,
      signal,
    });
    return {
      report: formatAuthTable(result),
      json: result,
      files: [stampedBenchFile('auth', result.startedAt)],
    };
  },
});

export function formatAuthTable(result: AuthBenchResult): string {
  const { on, off, settings } = result;
  const rows = [
    [
      'requests/s',
      formatSpread(on.requestsPerSecond),
      formatSpread(off.requestsPerSecond),
      formatRatio(on.requestsPerSecond.median, off.requestsPerSecond.median),
    ],
    [
      'latency p50 (ms)',
      formatSpread(on.p50Ms, 2),
      formatSpread(off.p50Ms, 2),
      formatRatio(on.p50Ms.median, off.p50Ms.median),
    ],
    [
      'latency p99 (ms)',
      formatSpread(on.p99Ms, 2),
      formatSpread(off.p99Ms, 2),
      formatRatio(on.p99Ms.median, off.p99Ms.median),
    ],
  ];
  const header = ['GET /v1/generations/{id}', 'AUTH=on (API key)', 'AUTH=off', 'on vs off'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const added = on.p50Ms.median - off.p50Ms.median;
  return [
    `\nAuthentication cost, ${settings.rounds} rounds of ${settings.requests} requests at C=${settings.concurrency}, ${(result.durationMs / 1000).toFixed(0)} s:\n`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    `\nAn authenticated request costs ${added.toFixed(2)} ms more at p50 (one script in Redis checks the key, its scope and its rate).`,
  ].join('\n');
}
