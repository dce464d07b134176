import { loadStackConfig, stackEnv } from '@genstream/stack';
import { readDevKey } from './dev-key.js';
import { checkHealth } from './health.js';
import { startServices, type RunningServices } from './launch.js';
import { portOffsetFromEnv, type Say } from '@genstream/stack';
import { serviceSpecs, type ServiceName } from './services.js';
import { ensureStack } from './stack-env.js';
import type { ServiceProcess } from './supervisor.js';

/** The system a script talks to: the services' URLs and the servers' variables. */
export interface SystemHandle extends AsyncDisposable {
  readonly serverEnv: Readonly<Record<string, string>>;
  url(name: ServiceName): string;
  /** Set when this script started the services itself (--start); disposing stops them. */
  readonly started: RunningServices | undefined;
  /** The API key to call with: GENSTREAM_API_KEY, else the development key of npm start. */
  readonly apiKey: string | undefined;
}

/** Not running, and not asked to start it. */
export class SystemNotRunningError extends Error {}

/**
 * The running system (`npm start` in another terminal): every service must answer /health with 200.
 * With `start`, brings up the stack and the services itself instead (stopped on dispose).
 */
export async function useSystem(script: string, start: boolean, say: Say): Promise<SystemHandle> {
  const portOffset = portOffsetFromEnv();
  const specs = serviceSpecs({ portOffset });
  const url = (name: ServiceName) => specs.find((spec) => spec.name === name)!.url;
  if (start) {
    const stack = await ensureStack();
    say('starting the five services (their output is shown only if one fails)');
    // Interrupted, even while starting: the services (in process groups of their own) are stopped,
    // not left behind.
    const spawned: ServiceProcess[] = [];
    const onSignal = (signal: NodeJS.Signals) => {
      say(`${signal}: stopping the services it started`);
      void Promise.all(spawned.map((service) => service.stop())).then(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const running = await startServices({
      env: { ...process.env, ...stack.serverEnv },
      portOffset,
      onSpawned: (service) => spawned.push(service),
    });
    say('all five services are healthy');
    return {
      serverEnv: stack.serverEnv,
      url,
      started: running,
      apiKey: process.env.GENSTREAM_API_KEY ?? running.apiKey,
      [Symbol.asyncDispose]: async () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        say('stopping the services it started');
        await running.stop();
      },
    };
  }
  const answers = await Promise.all(specs.map((spec) => checkHealth(spec.url)));
  const down = specs.flatMap((spec, i) => {
    const answer = answers[i]!;
    if (answer.status === 200) return [];
    return [
      `${spec.name} (${spec.url}: ${answer.status === null ? 'not answering' : `/health answers ${answer.status}`})`,
    ];
  });
  if (down.length > 0) {
    throw new SystemNotRunningError(
      `the system is not running: ${down.join(', ')}.\n` +
        `Run \`npm start\` in another terminal first, then \`npm run ${script}\` again ` +
        `(or \`npm run ${script} -- --start\` to let it start and stop the services itself).`,
    );
  }
  return {
    serverEnv: stackEnv(loadStackConfig()),
    url,
    started: undefined,
    apiKey: process.env.GENSTREAM_API_KEY ?? readDevKey(),
    [Symbol.asyncDispose]: async () => {},
  };
}
