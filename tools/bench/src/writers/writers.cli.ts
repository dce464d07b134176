// `npm run bench:writers [-- --events N --runs R --batch B --writers postgres,mongo,redis,vectors --seed S]`:
// each writer's records/s through its repository in batches vs one record per call, measured in the
// same run. Needs PostgreSQL, FerretDB and Redis (the runner starts those not running and stops
// them after); DATABASE_URL, MONGO_URL, REDIS_URL point it at other servers. Writes .bench/writers.json.
import type { ServerName } from '@genstream/stack';
import { benchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import { type Flags, integerFlag, knownNames, listFlag, valueFlags } from '../runner/flags.js';
import { benchWriters } from './bench-writers.js';
import { formatWritersReport } from './report.js';
import { WRITER_NAMES, type WriterName } from './results.js';

const SERVER_OF: Record<WriterName, ServerName> = {
  postgres: 'postgres',
  mongo: 'mongo',
  redis: 'redis',
  vectors: 'redis',
};

const chosenWriters = (flags: Flags) => knownNames('writer', listFlag(flags, 'writers'), WRITER_NAMES);

runBenchCommand({
  name: 'writers',
  usage: '[--events N] [--runs R] [--batch B] [--writers postgres,mongo,redis,vectors] [--seed S]',
  options: valueFlags('events', 'runs', 'batch', 'writers', 'seed'),
  servers: (flags) => [...new Set(chosenWriters(flags).map((name) => SERVER_OF[name]))],
  run: async (flags, { serverEnv, say, signal }) => {
    const result = await benchWriters({
      databaseUrl: serverEnv.DATABASE_URL ?? '',
      mongoUrl: serverEnv.MONGO_URL ?? '',
      redisUrl: serverEnv.REDIS_URL ?? '',
      events: integerFlag(flags, 'events'),
      runs: integerFlag(flags, 'runs'),
      batchSize: integerFlag(flags, 'batch'),
      writers: chosenWriters(flags),
      seed: integerFlag(flags, 'seed'),
      say,
      signal,
    });
    return { report: formatWritersReport(result), json: result, files: [benchFile('writers.json')] };
  },
});
