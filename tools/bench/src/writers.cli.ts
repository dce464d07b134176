// `npm run bench:writers [-- --events N --runs R --batch B --writers postgres,mongo,redis,vectors --seed S]`:
// each writer's records/s through its repository in batches vs one record per call, measured in the
// same run. Starts PostgreSQL, FerretDB and Redis from the local stack when they are not running
// (and stops them after); DATABASE_URL, MONGO_URL, REDIS_URL point it at other servers. Writes
// .bench/writers.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatTable,
  loadStackConfig,
  stackDown,
  stackEnv,
  stackUp,
  type ServerName,
} from '@genstream/stack';
import { formatRatio, formatSpread } from './stats.js';
import { WRITER_NAMES, benchWriters, type WriterName, type WritersResult } from './writers.js';

const started = Date.now();
const say = (message: string) =>
  process.stderr.write(
    `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  [bench:writers] ${message}\n`,
  );

const SERVERS_OF: Record<WriterName, ServerName> = {
  postgres: 'postgres',
  mongo: 'mongo',
  redis: 'redis',
  vectors: 'redis',
};

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string' },
      runs: { type: 'string' },
      batch: { type: 'string' },
      writers: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const writers = values.writers?.split(',').map((name) => name.trim());
  const unknown = writers?.filter((name) => !(WRITER_NAMES as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0)
    throw new Error(`unknown writer(s) ${unknown.join(', ')}; known: ${WRITER_NAMES.join(', ')}`);
  const chosen = (writers ?? WRITER_NAMES) as readonly WriterName[];

  const config = loadStackConfig();
  const servers = [...new Set(chosen.map((name) => SERVERS_OF[name]))];
  say(`bringing up ${servers.join(', ')} (npm run stack:up does the same)`);
  const up = await stackUp(config, servers);
  const env = stackEnv(config, servers);
  const controller = new AbortController();
  const onSignal = () => {
    say('interrupted: cleaning up');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  let result: WritersResult;
  try {
    result = await benchWriters({
      databaseUrl: env.DATABASE_URL ?? '',
      mongoUrl: env.MONGO_URL ?? '',
      redisUrl: env.REDIS_URL ?? '',
      events: number(values.events),
      runs: number(values.runs),
      batchSize: number(values.batch),
      writers: chosen,
      seed: number(values.seed),
      say,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    if (up.started.length > 0) {
      say(`stopping what it started: ${up.started.join(', ')}`);
      await stackDown(config, up.started);
    }
  }

  const file = resolve(import.meta.dirname, '../../../.bench/writers.json');
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(report(result));
  console.log(`\nwritten to ${file}`);
  return 0;
}

function report(result: WritersResult): string {
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
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(1)).join(' / ');
  const calls = result.writers.map((writer) => `  ${writer.writer}: ${writer.roundTrip}`);
  return [
    '',
    table,
    '',
    `${events.toLocaleString('en-US')} events per path and run, ${runs} runs alternating the paths: median ± spread.`,
    'What one repository call sends:',
    ...calls,
    `took ${(result.durationMs / 1000).toFixed(0)} s; ${result.machine.cpus} CPUs; load average (1/5/15 min) ` +
      `${load(result.machine.loadAverageAtStart)} at the start, ${load(result.machine.loadAverageAtEnd)} at the end.`,
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nbench:writers failed: ${error.message}`);
    process.exit(1);
  },
);
