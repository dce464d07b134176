import { resolve } from 'node:path';
import {
  CORE_SERVER_NAMES,
  loadStackConfig,
  repoRoot,
  stackDown,
  stackEnv,
  stackUp,
  type ServerName,
  type StackConfig,
} from '@genstream/stack';

/** Where the suite's own servers live: never the developer's stack, which it would disrupt. */
export interface FaultStackSettings {
  readonly dir: string;
  readonly portOffset: number;
}

/** The four core servers: the suite stops and starts them, so only servers it runs itself will do. */
export type FaultServer = (typeof CORE_SERVER_NAMES)[number];

/**
 * GENSTREAM_FAULTS_STACK_DIR (default `.stack/faults`) and GENSTREAM_FAULTS_PORT_OFFSET (default 300):
 * a second stack beside `npm start`'s, so a developer's running system is never stopped by the suite.
 */
export function faultStackSettings(env: NodeJS.ProcessEnv = process.env): FaultStackSettings {
  const offset = Number(env.GENSTREAM_FAULTS_PORT_OFFSET ?? 300);
  return {
    dir: resolve(env.GENSTREAM_FAULTS_STACK_DIR ?? resolve(repoRoot(), '.stack', 'faults')),
    portOffset: offset,
  };
}

/**
 * The stack of the suite: the variables that would point at external servers (KAFKA_BROKERS, ...)
 * are ignored on purpose, since a fault case must be able to stop and start each server.
 */
export class FaultStack {
  readonly config: StackConfig;

  constructor(readonly settings: FaultStackSettings) {
    this.config = loadStackConfig({
      GENSTREAM_STACK_DIR: settings.dir,
      GENSTREAM_STACK_PORT_OFFSET: String(settings.portOffset),
    });
  }

  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL and REDIS_URL of the suite's servers. */
  get env(): Record<string, string> {
    return stackEnv(this.config, [...CORE_SERVER_NAMES]);
  }

  async up(only: readonly FaultServer[] = CORE_SERVER_NAMES): Promise<readonly ServerName[]> {
    return (await stackUp(this.config, only)).started;
  }

  async down(only: readonly FaultServer[] = CORE_SERVER_NAMES): Promise<void> {
    await stackDown(this.config, only);
  }
}
