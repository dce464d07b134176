// `npm run bench:vectors [-- --vectors N --queries Q --k K --pipeline P --builds B --passes R --ef EF --seed S --no-exact]`:
// VADD/s, VSIM latency and recall@k of a Redis vector set, against VSIM ... TRUTH measured in the
// same run. Needs Redis (the runner starts it when it is not running, and stops it after);
// REDIS_URL points it at another server. Writes .bench/vectors.json.
import { benchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import { integerFlag, valueFlags } from '../runner/flags.js';
import { benchVectors } from './bench-vectors.js';
import { formatVectorsReport } from './report.js';

runBenchCommand({
  name: 'vectors',
  usage:
    '[--vectors N] [--queries Q] [--k K] [--pipeline P] [--builds B] [--passes R] [--ef EF] [--seed S] [--no-exact]',
  options: {
    ...valueFlags('vectors', 'queries', 'k', 'pipeline', 'builds', 'passes', 'ef', 'seed'),
    'no-exact': { type: 'boolean' },
  },
  servers: ['redis'],
  run: async (flags, { serverEnv, say, signal }) => {
    const result = await benchVectors({
      redisUrl: serverEnv.REDIS_URL!,
      vectors: integerFlag(flags, 'vectors'),
      queries: integerFlag(flags, 'queries'),
      k: integerFlag(flags, 'k'),
      pipeline: integerFlag(flags, 'pipeline'),
      builds: integerFlag(flags, 'builds'),
      passes: integerFlag(flags, 'passes'),
      ef: integerFlag(flags, 'ef'),
      seed: integerFlag(flags, 'seed'),
      exactCheck: flags['no-exact'] !== true,
      say,
      signal,
    });
    return { report: formatVectorsReport(result), json: result, files: [benchFile('vectors.json')] };
  },
});
