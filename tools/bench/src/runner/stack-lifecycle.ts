import { ENV_VAR, loadStackConfig, stackDown, stackUp, type ServerName } from '@genstream/stack';
import type { Say } from './progress.js';

/** The servers a bench needs: none, some, or the whole stack (as `npm run stack:up`). */
export type ServersNeeded = 'none' | 'all' | readonly ServerName[];

export interface RunningStack {
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL of the servers brought up. */
  readonly serverEnv: Readonly<Record<string, string>>;
  /**
   * Jaeger's OTLP endpoint when it runs. Never in serverEnv: it would trace every service a bench
   * starts, and figures are measured untraced unless a bench asks for tracing itself.
   */
  readonly tracingEndpoint?: string;
  /** The servers this bench had to start (the others were running already, or are external). */
  readonly started: readonly ServerName[];
  /** Stops what it started, unless `keep`. */
  down(keep: boolean): Promise<void>;
}

/** Brings up what is not running yet; servers named by the environment (DATABASE_URL, ...) are used as they are. */
export async function bringUpStack(
  env: NodeJS.ProcessEnv,
  needed: ServersNeeded,
  say: Say,
): Promise<RunningStack> {
  if (needed === 'none') return { serverEnv: {}, started: [], down: async () => {} };
  const config = loadStackConfig(env);
  const only = needed === 'all' ? [] : needed;
  say(`bringing up ${needed === 'all' ? 'the stack' : only.join(', ')} (as npm run stack:up)`);
  const { servers, started } = await stackUp(config, only);
  const jaeger = servers.find((server) => server.name === 'jaeger');
  return {
    serverEnv: Object.fromEntries(
      servers.filter((server) => server !== jaeger).map((server) => [ENV_VAR[server.name], server.address]),
    ),
    ...(jaeger ? { tracingEndpoint: jaeger.address } : {}),
    started,
    down: async (keep) => {
      if (started.length === 0 || keep) return;
      say(`stopping the servers this run started: ${started.join(', ')}`);
      await stackDown(config, started);
    },
  };
}
