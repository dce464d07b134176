import { ENV_VAR, formatStatusTable, loadStackConfig, stackUp, type ServerStatus } from '@genstream/stack';

export interface StackForServices {
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL (and SCHEMA_REGISTRY_URL when a registry runs). */
  readonly serverEnv: Record<string, string>;
  readonly servers: readonly ServerStatus[];
  /** The stack's status table. */
  readonly table: string;
}

/**
 * What `npm run stack:up` does, as a function: starts what is not running (saying so on stderr),
 * uses the servers the environment names. The stack keeps running afterwards, as after stack:up.
 */
export async function ensureStack(env: NodeJS.ProcessEnv = process.env): Promise<StackForServices> {
  const { servers } = await stackUp(loadStackConfig(env));
  return {
    serverEnv: Object.fromEntries(servers.map((server) => [ENV_VAR[server.name], server.address])),
    servers,
    table: formatStatusTable(servers),
  };
}
