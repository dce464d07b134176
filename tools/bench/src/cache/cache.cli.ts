// `npm run bench:cache [-- --latencies 500,2000] [--prompts 20] [--warmup 1] [--poll-ms 5]`:
// the latency a client sees for a repeated request answered from the exact response cache vs a
// model call, at each simulated model latency. Needs the whole stack (the runner starts what is not
// running and stops it after), starts and stops the services itself, prints a table and writes
// .bench/cache-<timestamp>.json.
import { stampedBenchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import { integer, integerFlag, listFlag, valueFlags } from '../runner/flags.js';
import { benchCache } from './bench-cache.js';
import { describeCacheResult, formatCacheTable } from './report.js';

runBenchCommand({
  name: 'cache',
  usage: '[--latencies 500,2000] [--prompts 20] [--warmup 1] [--poll-ms 5]',
  options: valueFlags('latencies', 'prompts', 'warmup', 'poll-ms'),
  servers: 'all',
  run: async (flags, { env, serverEnv, say, signal }) => {
    const result = await benchCache({
      latenciesMs: listFlag(flags, 'latencies')?.map((text) => integer('--latencies', text)),
      prompts: integerFlag(flags, 'prompts'),
      warmup: integerFlag(flags, 'warmup'),
      pollMs: integerFlag(flags, 'poll-ms'),
      serverEnv,
      env,
      say,
      signal,
    });
    return {
      report:
        `\nCache effect (exact response cache vs model call), ${(result.durationMs / 1000).toFixed(0)} s:\n\n` +
        `${formatCacheTable(result)}\n\n${describeCacheResult(result)}`,
      json: result,
      files: [stampedBenchFile('cache', result.startedAt)],
    };
  },
});
