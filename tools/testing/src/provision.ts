import {
  ENV_VAR,
  SERVERS,
  SERVER_NAMES,
  formatStatusTable,
  loadStackConfig,
  stackDown,
  stackUp,
  type ServerName,
} from '@genstream/stack';

/**
 * The servers every test run has: the four core servers and the schema registry, which tests of the
 * Confluent framing need. Not Jaeger: its variable turns tracing on in every service given it, so
 * the tracing test starts it and passes it on itself.
 */
const TEST_SERVER_NAMES = SERVER_NAMES.filter((name) => name !== 'jaeger');
type TestServerName = (typeof TEST_SERVER_NAMES)[number];

/** `KEY=value` settings for every server of a test run, as genstream processes read them. */
export type ServerEnv = Record<(typeof ENV_VAR)[TestServerName], string>;

export interface ProvisionedServers {
  readonly env: ServerEnv;
  /** Stops what this provisioning started; servers that were already running are left alone. */
  release(): Promise<void>;
}

/**
 * Finds all five servers for a test run (the optional schema registry included): those named by the
 * environment first; the rest from the local stack (started when needed), or from Docker via
 * testcontainers when GENSTREAM_TEST_SERVERS=testcontainers asks for it.
 */
export async function provisionServers(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedServers> {
  const mode = env.GENSTREAM_TEST_SERVERS ?? 'local';
  const config = loadStackConfig(env);
  const missing = TEST_SERVER_NAMES.filter((name) => !config.external[name]);
  if (mode === 'testcontainers') {
    const { startContainers } = await import('./containers.js');
    const containers = await startContainers(missing);
    const provided = { ...config, external: { ...config.external, ...containers.urls } };
    await assertAllAnswer(provided.external);
    return { env: envOf(provided.external), release: () => containers.stop() };
  }
  if (mode !== 'local') {
    throw new Error(`GENSTREAM_TEST_SERVERS must be "local" or "testcontainers", got "${mode}"`);
  }
  const { servers, started } = await stackUp(config, TEST_SERVER_NAMES);
  process.stderr.write(`\n${formatStatusTable(servers)}\n\n`);
  const keepRunning = env.GENSTREAM_KEEP_STACK === '1';
  return {
    env: envOf(Object.fromEntries(servers.map((server) => [server.name, server.address]))),
    release: async () => {
      if (!keepRunning && started.length > 0) await stackDown(config, started);
    },
  };
}

function envOf(urls: Partial<Record<ServerName, string>>): ServerEnv {
  return Object.fromEntries(TEST_SERVER_NAMES.map((name) => [ENV_VAR[name], urls[name]!])) as ServerEnv;
}

async function assertAllAnswer(urls: Partial<Record<ServerName, string>>): Promise<void> {
  await Promise.all(
    SERVERS.filter((server) => (TEST_SERVER_NAMES as readonly string[]).includes(server.name)).map((server) =>
      server.probe(urls[server.name]!).catch((error: Error) => {
        throw new Error(`${server.name} at ${urls[server.name]} does not answer: ${error.message}`);
      }),
    ),
  );
}
