import { relative } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { abortOnInterrupt } from './interrupt.js';
import { progressLines, type Say } from './progress.js';
import { bringUpStack, type ServersNeeded } from './stack-lifecycle.js';
import { writeJson } from './bench-files.js';
import { isUsageError, type Flags } from './flags.js';

export interface BenchContext {
  /** The environment the stack and the services are configured from. */
  readonly env: NodeJS.ProcessEnv;
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL of the servers the command asked for. */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** Jaeger's OTLP endpoint, when the command asked for Jaeger (see RunningStack). */
  readonly tracingEndpoint?: string;
  /** Servers the runner had to start for this command. */
  readonly startedServers: readonly string[];
  /** Progress under the command's name; `sayAs` for a part of it. */
  readonly say: Say;
  readonly sayAs: (prefix: string) => Say;
  /** Aborted by Ctrl-C or SIGTERM. */
  readonly signal: AbortSignal;
  /** The arguments as given, for the record. */
  readonly args: readonly string[];
}

/** What a command produced: printed on stdout, written to `.bench/`. */
export interface BenchOutput {
  readonly report: string;
  readonly json: unknown;
  /** Absolute paths the JSON goes to (see benchFile). */
  readonly files: readonly string[];
  /** Printed on stderr after the files are written; makes the command exit 1. */
  readonly failure?: string;
}

export interface BenchCommand {
  /** `throughput` for `npm run bench:throughput`; `bench` for `npm run bench`. */
  readonly name: string;
  /** Its own flags, e.g. `[--runs R] [--n N]` ("" for none). */
  readonly usage: string;
  readonly options: ParseArgsOptionsConfig;
  readonly servers: ServersNeeded | ((flags: Flags) => ServersNeeded);
  /** The exit code of a failed run (1 unless the command says otherwise for its error). */
  readonly exitCodeOf?: (error: Error) => number;
  run(flags: Flags, context: BenchContext): Promise<BenchOutput>;
}

/** Every bench command has these. */
const COMMON_OPTIONS = {
  'keep-stack': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsOptionsConfig;

/**
 * The one lifecycle of every bench command: parse its flags, bring up the servers it needs,
 * abort it on Ctrl-C, stop what was started (unless --keep-stack), write its JSON, print its
 * report, and exit 0, or 1 when it failed.
 */
export function runBenchCommand(command: BenchCommand): void {
  const script = command.name === 'bench' ? 'npm run bench' : `npm run bench:${command.name}`;
  const flags = [command.usage, '[--keep-stack]'].filter((part) => part !== '').join(' ');
  const usage = `usage: ${script} -- ${flags}`;
  execute(command, usage, process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(
        `\n${script.slice(8)} failed: ${error.message}${isUsageError(error) ? `\n${usage}` : ''}`,
      );
      process.exit(command.exitCodeOf?.(error) ?? 1);
    },
  );
}

async function execute(command: BenchCommand, usage: string, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...command.options, ...COMMON_OPTIONS } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const sayAs = progressLines(Date.now());
  const say = sayAs(command.name);
  const interrupt = abortOnInterrupt(say);
  const needed = typeof command.servers === 'function' ? command.servers(values) : command.servers;
  const stack = await bringUpStack(process.env, needed, say);
  let output: BenchOutput;
  try {
    output = await command.run(values, {
      env: process.env,
      serverEnv: stack.serverEnv,
      ...(stack.tracingEndpoint ? { tracingEndpoint: stack.tracingEndpoint } : {}),
      startedServers: stack.started,
      say,
      sayAs,
      signal: interrupt.signal,
      args,
    });
  } finally {
    await stack.down(values['keep-stack'] === true);
    interrupt.release();
  }
  writeJson(output.files, output.json);
  const written = output.files.map((file) => relative(process.cwd(), file) || file);
  process.stdout.write(`${output.report}\n\nWritten: ${written.join(', ')}\n`);
  if (output.failure === undefined) return 0;
  process.stderr.write(`\n${output.failure}\n`);
  return 1;
}
