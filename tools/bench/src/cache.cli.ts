// `npm run bench:cache [-- --latencies 500,2000] [--prompts 20] [--warmup 1] [--poll-ms 5]`:
// the latency a client sees for a repeated request answered from the exact response cache vs a
// model call, at each simulated model latency. Brings up the stack and the services itself (stops
// the services at the end; the stack keeps running), prints a table and writes
// .bench/cache-<timestamp>.json (git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchCache, describeCacheResult, formatCacheTable, type CacheBenchOptions } from './cache.js';

const USAGE =
  'usage: npm run bench:cache [-- --latencies 500,2000] [--prompts 20] [--warmup 1] [--poll-ms 5]';

function parseArgs(args: readonly string[]): CacheBenchOptions {
  const options: { -readonly [K in keyof CacheBenchOptions]: CacheBenchOptions[K] } = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i]!, args[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value (${USAGE})`);
    const integer = (text: string) => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: not a non-negative integer: ${text}`);
      return n;
    };
    switch (flag) {
      case '--latencies':
        options.latenciesMs = value.split(',').map(integer);
        break;
      case '--prompts':
        options.prompts = integer(value);
        break;
      case '--warmup':
        options.warmup = integer(value);
        break;
      case '--poll-ms':
        options.pollMs = integer(value);
        break;
      default:
        throw new Error(`unknown argument ${flag} (${USAGE})`);
    }
  }
  return options;
}

async function main(args: readonly string[]): Promise<number> {
  const started = Date.now();
  const say = (message: string) =>
    process.stderr.write(
      `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  [bench:cache] ${message}\n`,
    );
  const options = parseArgs(args);
  // Ctrl-C: stop measuring, but still stop the services, remove the data and the topics; a second
  // Ctrl-C exits at once (the services are then killed on the way out).
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping; cleaning up first (Ctrl-C again exits at once)`);
    abort.abort(new Error(`interrupted by ${signal}`));
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const result = await benchCache({ ...options, say, signal: abort.signal });
  const dir = resolve(import.meta.dirname, '../../../.bench');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `cache-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `\nCache effect (exact response cache vs model call), ${(result.durationMs / 1000).toFixed(0)} s:\n\n` +
      `${formatCacheTable(result)}\n\n${describeCacheResult(result)}\n\nWritten: ${file}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nbench:cache failed: ${error.message}`);
    process.exit(1);
  },
);
