// `npm start`: the local stack (started if needed, as `npm run stack:up`), then the five services as
// child processes with the stack's environment, their output prefixed with their names, until Ctrl-C.
// Run as `node --import tsx` rather than through the tsx CLI: that wrapper relays Ctrl-C a second
// time and SIGKILLs its child when the child does not confirm within 30 ms, which would leave the
// services (each in its own process group) running without their launcher.
// `npm start -- --raw` shows the services' JSON log lines as they are.
// `npm start -- --replicas metadata-writer=3,embedding-indexer=2` (or GENSTREAM_REPLICAS) runs several
// instances of a service, each on its own port, all in the service's one consumer group.
import { portOffsetFromEnv, progressFor } from '@genstream/stack';
import { consoleOutput, loud } from './console-output.js';
import { checkHealth } from './health.js';
import { devKeyFile } from './dev-key.js';
import { startServices, type RunningServices } from './launch.js';
import { SERVICE_NAMES, parseReplicas } from './services.js';
import { ensureStack } from './stack-env.js';
import { describeExit, type ServiceProcess, type StopReport } from './supervisor.js';
import { formatServiceTable } from './table.js';

const STOP_GRACE_MS = 15_000;
const say = progressFor('launcher');

const USAGE = 'usage: npm start [-- --raw] [--replicas service=N,...]';

/** `--raw` and `--replicas a=N,b=M` (else GENSTREAM_REPLICAS); anything else is refused. */
function parseStartArgs(args: readonly string[]): {
  raw: boolean;
  replicas: ReturnType<typeof parseReplicas>;
} {
  let raw = false;
  let replicas = process.env.GENSTREAM_REPLICAS ?? '';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--raw') raw = true;
    else if (arg === '--replicas' && args[i + 1] !== undefined) replicas = args[++i]!;
    else if (arg.startsWith('--replicas=')) replicas = arg.slice('--replicas='.length);
    else throw new Error(`unknown argument ${arg} (${USAGE})`);
  }
  return { raw, replicas: parseReplicas(replicas) };
}

async function main(args: readonly string[]): Promise<number> {
  const { raw, replicas } = parseStartArgs(args);

  say('bringing up the stack (as npm run stack:up)');
  const stack = await ensureStack();
  process.stdout.write(`\n${stack.table}\n\n`);

  // Signals from here on: whatever was started is stopped, even half-way through startup.
  const spawned: ServiceProcess[] = [];
  const shutdown = new Shutdown(spawned);
  shutdown.listen();

  const counted = SERVICE_NAMES.map((name) =>
    (replicas[name] ?? 1) > 1 ? `${name} x${replicas[name]}` : name,
  );
  say(`starting ${counted.join(', ')}`);
  let running: RunningServices;
  try {
    running = await startServices({
      env: { ...process.env, ...stack.serverEnv },
      portOffset: portOffsetFromEnv(),
      replicas,
      apiKeyFile: devKeyFile(),
      onLine: consoleOutput({ raw }),
      onSpawned: (service) => {
        spawned.push(service);
        say(`${service.label}: started (pid ${service.pid}), waiting for ${service.spec.url}/health`);
      },
      onWaiting: (service, last, waitedMs) =>
        say(
          `${service.label}: not healthy yet after ${Math.round(waitedMs / 1000)} s ` +
            `(${last.status === null ? last.detail : `/health answers ${last.status}`})`,
        ),
    });
  } catch (error) {
    if (shutdown.requested) return shutdown.done;
    console.error(`\n${loud('The system did not come up.')} ${(error as Error).message}`);
    const stopped = spawned.length > 0 ? 'Every service started was stopped. ' : '';
    console.error(`\n${stopped}The stack keeps running (npm run stack:down stops it).`);
    return 1;
  }
  if (shutdown.requested) return shutdown.done;

  await printSummary(running);
  for (const service of running.services) {
    void service.exited.then((exit) => {
      if (exit.requested) return;
      shutdown.crashed(service);
      console.error(
        loud(
          `\n!!! ${service.label} (pid ${service.pid}) CRASHED: ${describeExit(exit)}. It is NOT restarted.`,
        ),
      );
      console.error(
        `Its last lines:\n${service
          .lastLines(30)
          .map((line) => `  | ${line}`)
          .join('\n')}\n`,
      );
      const alive = running.services.filter((s) => !s.exit);
      if (alive.length > 0) {
        console.error(
          `Still running: ${alive.map((s) => s.label).join(', ')}. Fix it and run npm start again (Ctrl-C stops the rest).`,
        );
      } else {
        console.error('No service is left running.');
        shutdown.finish(1);
      }
    });
  }
  return shutdown.done;
}

async function printSummary(running: RunningServices): Promise<void> {
  const rows = await Promise.all(
    running.services.map(async (service) => {
      const health = await checkHealth(service.spec.url);
      return {
        name: service.label,
        url: service.spec.url,
        health: health.status === 200 ? '200 healthy' : `${health.status ?? 'no answer'}`,
        pid: service.pid,
        readyMs: running.readyMs.get(service.label),
      };
    }),
  );
  const generation = running.url('generation');
  const search = running.url('embedding-indexer');
  const key = running.apiKey;
  const auth = key ? `-H "authorization: Bearer $GENSTREAM_API_KEY" ` : '';
  const keyLines = key
    ? [
        `Authentication is on. The development API key (tenant dev, every scope; kept in ${devKeyFile()}):`,
        '',
        `  export GENSTREAM_API_KEY=${key}`,
        '',
        'More keys: npm run keys -- create --tenant T --scopes generate,read,search (list, revoke).',
        '',
      ]
    : ['Authentication is off (AUTH=off): anyone who reaches these ports may call the APIs.', ''];
  const body = JSON.stringify({
    userId: 7,
    title: 'Release notes',
    prompt: 'Summarize: the release adds vector search. It also halves cold start time. Upgrade today.',
    model: 'local',
  });
  process.stdout.write(
    [
      '',
      `All ${rows.length} services are healthy:`,
      '',
      formatServiceTable(rows),
      '',
      ...keyLines,
      'Try next (in another terminal):',
      '  npm run demo',
      `  curl -s -X POST ${generation}/v1/generations ${auth}-H 'content-type: application/json' -d '${body}'`,
      `  curl -s ${auth}${generation}/v1/generations/<requestId from the answer>`,
      `  curl -s ${auth}'${search}/v1/search?q=vector+search&k=3'`,
      '',
      'Ctrl-C stops the services (the stack keeps running; npm run stack:down stops it).',
      '',
    ].join('\n'),
  );
}

/** Ctrl-C / SIGTERM: one SIGTERM to every service, a bounded wait, a report of each exit. */
class Shutdown {
  requested = false;
  readonly done: Promise<number>;
  private resolveDone!: (code: number) => void;
  private readonly crashedNames = new Set<string>();

  constructor(private readonly services: readonly ServiceProcess[]) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  listen(): void {
    let firstAt = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      // The same Ctrl-C can arrive twice (from the terminal and relayed by a wrapper such as npm or
      // tsx): only a second one at least a second later means "kill them now".
      if (this.requested && Date.now() - firstAt < 1_000) return;
      if (this.requested) {
        say(`${signal} again: killing every service now (SIGKILL)`);
        for (const service of this.services) service.signal('SIGKILL');
        return;
      }
      this.requested = true;
      firstAt = Date.now();
      void this.stopAll(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // Last resort, whatever makes the launcher exit: no service is left running without it.
    process.on('exit', () => {
      for (const service of this.services) service.signal('SIGKILL');
    });
  }

  crashed(service: ServiceProcess): void {
    this.crashedNames.add(service.label);
  }

  finish(code: number): void {
    this.resolveDone(code);
  }

  private async stopAll(signal: NodeJS.Signals): Promise<void> {
    const alive = this.services.filter((service) => !service.exit);
    process.stderr.write('\n');
    say(
      `${signal}: stopping ${alive.length} service(s) with SIGTERM (up to ${STOP_GRACE_MS / 1000} s each; ` +
        'Ctrl-C again kills them)',
    );
    const reports = await Promise.all(alive.map((service) => service.stop(STOP_GRACE_MS)));
    for (const report of reports) say(describeStop(report));
    const unclean = reports.filter((r) => r.outcome === 'killed' || (r.exit.code ?? 0) !== 0);
    if (this.crashedNames.size > 0) say(`crashed before: ${[...this.crashedNames].join(', ')}`);
    say('all services stopped; the stack keeps running (npm run stack:down stops it)');
    this.finish(unclean.length > 0 || this.crashedNames.size > 0 ? 1 : 0);
  }
}

function describeStop(report: StopReport): string {
  const seconds = (report.ms / 1000).toFixed(1);
  switch (report.outcome) {
    case 'exited':
      return `${report.label} (pid ${report.pid}): exited, ${describeExit(report.exit)}, in ${seconds} s`;
    case 'killed':
      return `${report.label} (pid ${report.pid}): did not exit in ${STOP_GRACE_MS / 1000} s, killed (SIGKILL)`;
    case 'gone':
      return `${report.label} (pid ${report.pid}): had already exited (${describeExit(report.exit)})`;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\n${error.message}`);
    process.exit(1);
  },
);
