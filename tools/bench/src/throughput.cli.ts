// npm run bench:throughput [-- --n N] [--runs R] [--concurrency C] [--warmup W] [--poll-ms MS]
//                          [--out FILE] [--keep-stack]
// End-to-end throughput of genstream against the seed tutorial's synchronous handler, in the same
// invocation on the same stores (see throughput.ts), and the services' peak resident memory.
// Prints progress on stderr, the tables on stdout, and writes the result to .bench/throughput.json.
// Servers the run had to start are stopped at the end unless --keep-stack.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { THROUGHPUT_DEFAULTS, benchThroughput, formatThroughputTable } from './throughput.js';

const USAGE =
  'usage: npm run bench:throughput [-- --n N] [--runs R] [--concurrency C] [--warmup W] ' +
  '[--poll-ms MS] [--out FILE] [--keep-stack]';

const started = Date.now();
const say = (message: string) =>
  process.stderr.write(
    `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  [throughput] ${message}\n`,
  );

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: String(THROUGHPUT_DEFAULTS.requests) },
      runs: { type: 'string', default: String(THROUGHPUT_DEFAULTS.runs) },
      concurrency: { type: 'string', default: String(THROUGHPUT_DEFAULTS.concurrency) },
      warmup: { type: 'string', default: String(THROUGHPUT_DEFAULTS.warmupRequests) },
      'poll-ms': { type: 'string', default: String(THROUGHPUT_DEFAULTS.pollMs) },
      out: { type: 'string', default: resolve(import.meta.dirname, '../../../.bench/throughput.json') },
      'keep-stack': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Ctrl-C: stop measuring, but still remove the data, stop the services and delete the topics.
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping; cleaning up first (a second Ctrl-C exits at once)`);
    abort.abort(new Error(`interrupted by ${signal}`));
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const result = await benchThroughput({
    requests: Number(values.n),
    runs: Number(values.runs),
    concurrency: Number(values.concurrency),
    warmupRequests: Number(values.warmup),
    pollMs: Number(values['poll-ms']),
    say,
    signal: abort.signal,
    stopStartedServers: !values['keep-stack'],
  });
  console.log(`${formatThroughputTable(result)}\n`);
  console.log(result.definitions.map((line) => `- ${line}`).join('\n'));
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  say(
    `result written to ${relative(process.cwd(), out) || out} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nbench:throughput failed: ${error.message}\n${USAGE}`);
    process.exit(1);
  },
);
