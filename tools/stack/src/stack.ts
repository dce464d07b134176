import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastLines } from './commands.js';
import { ENV_VAR, OPTIONAL_SERVER_NAMES, paths, type ServerName, type StackConfig } from './config.js';
import { StackError } from './errors.js';
import {
  forgetPid,
  isAlive,
  readPidRecords,
  residentBytesOfTree,
  stopProcess,
  type PidRecord,
} from './processes.js';
import { isPortTaken } from './ports.js';
import { progressFor, type Progress } from './progress.js';
import type { ServerDefinition } from './server.js';
import { kafka } from './servers/kafka.js';
import { mongo } from './servers/mongo.js';
import { postgres } from './servers/postgres.js';
import { redis } from './servers/redis.js';
import { kafkaNodes } from './servers/kafka-nodes.js';
import { jaeger } from './servers/jaeger.js';
import { registry } from './servers/registry.js';

export const SERVERS: readonly ServerDefinition[] = [kafka, postgres, mongo, redis, registry, jaeger];

/** degraded: some of a server's processes run, not all (a Kafka cluster with a node down). */
export type ServerState = 'running' | 'external' | 'stopped' | 'not answering' | 'degraded';

export interface ServerStatus {
  readonly name: ServerName;
  readonly product: string;
  readonly state: ServerState;
  readonly address: string;
  readonly version?: string;
  /** One per process: a Kafka cluster runs one per node. */
  readonly pids?: readonly number[];
  readonly residentBytes?: number;
  readonly dataDir?: string;
}

export interface UpResult {
  readonly servers: readonly ServerStatus[];
  /** Servers this call started (not those already running or external): the ones its caller may stop. */
  readonly started: readonly ServerName[];
}

/**
 * The servers a command acts on: those named, or by default the four core servers plus each optional
 * one (the schema registry) that this stack has started and not yet stopped, or that the environment names.
 */
export function selectServers(config: StackConfig, only: readonly ServerName[] = []): ServerDefinition[] {
  if (only.length > 0) return SERVERS.filter((server) => only.includes(server.name));
  return SERVERS.filter(
    (server) =>
      !(OPTIONAL_SERVER_NAMES as readonly ServerName[]).includes(server.name) ||
      config.external[server.name] !== undefined ||
      readPidRecords(paths(config, server.name).pidFile).length > 0,
  );
}

/** The `KEY=value` settings that point every genstream process at the stack's servers. */
export function stackEnv(config: StackConfig, only: readonly ServerName[] = []): Record<string, string> {
  return Object.fromEntries(
    selectServers(config, only).map((server) => [ENV_VAR[server.name], addressOf(server, config)]),
  );
}

/**
 * Installs what is missing and starts what is not running, all chosen servers at once (see
 * selectServers); waits until each answers.
 */
export async function stackUp(config: StackConfig, only: readonly ServerName[] = []): Promise<UpResult> {
  const chosen = selectServers(config, only);
  const outcomes = await Promise.allSettled(chosen.map((server) => bringUp(server, config)));
  const results = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const started = results.filter((result) => result.started).map((result) => result.status.name);
  const failures = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as Error] : [],
  );
  if (failures.length > 0) {
    // A failed `up` leaves nothing half-started behind.
    if (started.length > 0) await stackDown(config, started);
    throw new StackError(
      'stack',
      `${failures.length} server(s) failed to come up:\n\n${failures.map((e) => e.message).join('\n\n')}`,
    );
  }
  return { servers: results.map((result) => result.status), started };
}

/** Stops the servers this stack started (never a process it did not start). */
export async function stackDown(config: StackConfig, only: readonly ServerName[] = []): Promise<void> {
  await Promise.all(
    selectServers(config, only).map(async (server) => {
      const progress = progressFor(server.name);
      const { pidFile } = paths(config, server.name);
      const alive = readPidRecords(pidFile).filter(isAlive);
      if (alive.length === 0) progress('not running');
      await Promise.all(
        alive.map(async (record) => {
          const how = await stopProcess(record, server.stopSignal, 30_000);
          progress(
            how === 'stopped'
              ? `stopped (pid ${record.pid})`
              : `did not stop in 30 s: killed (pid ${record.pid})`,
          );
        }),
      );
      forgetPid(pidFile);
    }),
  );
}

export async function stackStatus(
  config: StackConfig,
  only: readonly ServerName[] = [],
): Promise<ServerStatus[]> {
  return Promise.all(selectServers(config, only).map((server) => statusOf(server, config)));
}

async function statusOf(server: ServerDefinition, config: StackConfig): Promise<ServerStatus> {
  const address = addressOf(server, config);
  const base = { name: server.name, product: server.product, address };
  if (config.external[server.name]) {
    const version = await versionIfAnswering(server, address);
    return { ...base, state: version === null ? 'not answering' : 'external', version: version ?? undefined };
  }
  const { pidFile, data } = paths(config, server.name);
  const alive = readPidRecords(pidFile).filter(isAlive);
  if (alive.length === 0) return { ...base, state: 'stopped', dataDir: data };
  const whole = alive.length === processCount(server, config);
  const version = whole ? await versionIfAnswering(server, address) : undefined;
  return {
    ...base,
    state: !whole ? 'degraded' : version === null ? 'not answering' : 'running',
    version: version ?? server.localVersion,
    pids: alive.map((record) => record.pid),
    residentBytes: alive.reduce((total, record) => total + residentBytesOfTree(record.pid), 0),
    dataDir: data,
  };
}

async function bringUp(
  server: ServerDefinition,
  config: StackConfig,
): Promise<{ status: ServerStatus; started: boolean }> {
  const progress = progressFor(server.name);
  const address = addressOf(server, config);
  const external = config.external[server.name];
  if (external) {
    await server.probe(external).catch((error: Error) => {
      throw new StackError(
        server.name,
        `${ENV_VAR[server.name]}=${external} does not answer: ${error.message}`,
      );
    });
    progress(`using ${external} from ${ENV_VAR[server.name]}: it answers, nothing to start`);
    return { status: await statusOf(server, config), started: false };
  }
  const serverPaths = paths(config, server.name);
  const wanted = processCount(server, config);
  const aliveRecords = () => readPidRecords(serverPaths.pidFile).filter(isAlive);
  const alreadyRunning = async (records: readonly PidRecord[]) => {
    await waitUntilAnswering(server, address, records, serverPaths.log, progress);
    await configure(server, address);
    progress(`already running (${pidList(records)})`);
    return { status: await statusOf(server, config), started: false };
  };
  const alive = aliveRecords();
  const recorded = readPidRecords(serverPaths.pidFile).length;
  if (alive.length > 0 && recorded !== wanted)
    throw new StackError(
      server.name,
      `runs as ${recorded} process(es), ${wanted} asked for: stop it first (npm run stack:down -- ${server.name})`,
    );
  if (alive.length === wanted) return alreadyRunning(alive);
  if (alive.length === 0) {
    forgetPid(serverPaths.pidFile);
    await assertPortsFree(server.name, config);
  } else {
    progress(`${alive.length} of ${wanted} processes running: starting the others`);
  }
  const context = { config, paths: serverPaths, progress };
  await server.install(context);
  // An install can take minutes (the registry's build), time enough for another `up` (a second
  // terminal, a parallel test run) to start the server: then it is that one's to run.
  const startedMeanwhile = aliveRecords();
  if (startedMeanwhile.length === wanted) return alreadyRunning(startedMeanwhile);
  const startedAt = Date.now();
  progress('starting');
  const records = [await server.start(context)].flat();
  try {
    await waitUntilAnswering(server, address, records, serverPaths.log, progress);
    await configure(server, address);
  } catch (error) {
    // Not left running half-started.
    await Promise.all(records.map((record) => stopProcess(record, server.stopSignal, 10_000)));
    forgetPid(serverPaths.pidFile);
    throw error;
  }
  progress(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${pidList(records)})`);
  return { status: await statusOf(server, config), started: true };
}

function processCount(server: ServerDefinition, config: StackConfig): number {
  return server.processCount?.(config) ?? 1;
}

function pidList(records: readonly PidRecord[]): string {
  return `${records.length === 1 ? 'pid' : 'pids'} ${records.map((record) => record.pid).join(', ')}`;
}

async function configure(server: ServerDefinition, address: string): Promise<void> {
  await server.configure?.(address).catch((error: Error) => {
    throw new StackError(server.name, `answers, but could not be configured: ${error.message}`, {
      cause: error,
    });
  });
}

async function waitUntilAnswering(
  server: ServerDefinition,
  address: string,
  records: readonly PidRecord[],
  logFile: string,
  progress: Progress,
): Promise<void> {
  const deadline = Date.now() + server.startTimeoutMs;
  let lastError: unknown;
  let nextNotice = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const exited = records.find((record) => !isAlive(record));
    if (exited) {
      const log = exited.logFile ?? logFile;
      throw new StackError(
        server.name,
        `exited while starting (pid ${exited.pid}). Last lines of ${log}:\n${logTail(log)}`,
      );
    }
    try {
      await server.probe(address);
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > nextNotice) {
      progress('still waiting for it to answer');
      nextNotice = Date.now() + 10_000;
    }
    await sleep(500);
  }
  throw new StackError(
    server.name,
    `did not answer within ${server.startTimeoutMs / 1000} s (${String(lastError)}). Last lines of ${logFile}:\n${logTail(logFile)}`,
  );
}

const PORTS: Record<ServerName, (config: StackConfig) => number[]> = {
  kafka: (config) => kafkaNodes(config).flatMap((node) => [node.brokerPort, node.controllerPort]),
  postgres: (config) => [config.ports.postgres],
  mongo: (config) => [config.ports.mongo],
  redis: (config) => [config.ports.redis],
  registry: (config) => [config.ports.registry],
  jaeger: (config) => [
    config.ports.jaeger,
    config.ports.jaegerOtlpGrpc,
    config.ports.jaegerUi,
    config.ports.jaegerUiGrpc,
  ],
};

async function assertPortsFree(name: ServerName, config: StackConfig): Promise<void> {
  for (const port of PORTS[name](config)) {
    if (await isPortTaken(config.host, port)) {
      throw new StackError(
        name,
        `port ${port} on ${config.host} is taken by a process this stack did not start; ` +
          `stop it, or set GENSTREAM_STACK_PORT_OFFSET to move the whole stack`,
      );
    }
  }
}

function addressOf(server: ServerDefinition, config: StackConfig): string {
  return config.external[server.name] ?? server.localUrl(config);
}

/** Version (undefined when not reported), or null when the server does not answer. */
async function versionIfAnswering(
  server: ServerDefinition,
  address: string,
): Promise<string | undefined | null> {
  try {
    return await server.probe(address);
  } catch {
    return null;
  }
}

function logTail(logFile: string): string {
  return existsSync(logFile) ? lastLines(readFileSync(logFile, 'utf8'), 30) : '(no log written)';
}
