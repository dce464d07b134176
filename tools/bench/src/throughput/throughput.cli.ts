// npm run bench:throughput [-- --n N] [--runs R] [--concurrency C] [--warmup W] [--poll-ms MS]
//                          [--out FILE] [--keep-stack]
// End-to-end throughput of genstream against the seed tutorial's synchronous handler, in the same
// invocation on the same stores (see bench-throughput.ts), and the services' peak resident memory.
// Progress on stderr, the tables on stdout, the result in .bench/throughput.json.
import { resolve } from 'node:path';
import { benchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import { integerFlag, stringFlag, valueFlags } from '../runner/flags.js';
import { benchThroughput } from './bench-throughput.js';
import { THROUGHPUT_DEFAULTS } from './options.js';
import { formatThroughputTable } from './report.js';

runBenchCommand({
  name: 'throughput',
  usage: '[--n N] [--runs R] [--concurrency C] [--warmup W] [--poll-ms MS] [--out FILE]',
  options: valueFlags('n', 'runs', 'concurrency', 'warmup', 'poll-ms', 'out'),
  servers: 'all',
  run: async (flags, context) => {
    const result = await benchThroughput({
      requests: integerFlag(flags, 'n') ?? THROUGHPUT_DEFAULTS.requests,
      runs: integerFlag(flags, 'runs'),
      concurrency: integerFlag(flags, 'concurrency'),
      warmupRequests: integerFlag(flags, 'warmup'),
      pollMs: integerFlag(flags, 'poll-ms'),
      serverEnv: context.serverEnv,
      startedServers: context.startedServers,
      env: context.env,
      say: context.say,
      signal: context.signal,
    });
    const out = stringFlag(flags, 'out');
    return {
      report: `${formatThroughputTable(result)}\n\n${result.definitions.map((line) => `- ${line}`).join('\n')}`,
      json: result,
      files: [out === undefined ? benchFile('throughput.json') : resolve(out)],
    };
  },
});
