import { resolve } from 'node:path';
import { readPidRecords } from './processes.js';

/** The servers every genstream service needs: `stack:up` with no names starts these. */
export const CORE_SERVER_NAMES = ['kafka', 'postgres', 'mongo', 'redis'] as const;
/**
 * Started only when named (`npm run stack:up -- registry jaeger`) or by the test harness; once
 * started, a plain `up`, `status`, `down` and `env` include it until `down` stops it.
 */
export const OPTIONAL_SERVER_NAMES = ['registry', 'jaeger'] as const;
export const SERVER_NAMES = [...CORE_SERVER_NAMES, ...OPTIONAL_SERVER_NAMES] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export function isServerName(name: string): name is ServerName {
  return (SERVER_NAMES as readonly string[]).includes(name);
}

/** The variable through which every genstream process finds each server. */
export const ENV_VAR = {
  kafka: 'KAFKA_BROKERS',
  postgres: 'DATABASE_URL',
  mongo: 'MONGO_URL',
  redis: 'REDIS_URL',
  /** Base URL of a Confluent-compatible schema registry API. */
  registry: 'SCHEMA_REGISTRY_URL',
  /** Where the services export traces (OTLP/HTTP); setting it turns tracing on (libs/tracing). */
  jaeger: 'OTEL_EXPORTER_OTLP_ENDPOINT',
} as const satisfies Record<ServerName, string>;

/** Loopback ports chosen away from the servers' usual ones, so a system server never collides. */
export const DEFAULT_PORTS = {
  kafka: 39092,
  kafkaController: 39093,
  postgres: 35432,
  mongo: 37017,
  redis: 36379,
  registry: 38081,
  /** Jaeger's OTLP/HTTP receiver; then its OTLP/gRPC receiver, its UI and the UI's gRPC API. */
  jaeger: 34318,
  jaegerOtlpGrpc: 34317,
  jaegerUi: 36686,
  jaegerUiGrpc: 36685,
} as const;

export interface StackConfig {
  /** Git-ignored folder holding downloads, builds, data, logs and pid files. */
  readonly dir: string;
  readonly host: string;
  readonly ports: Record<keyof typeof DEFAULT_PORTS, number>;
  /** Servers the environment already provides (variable set): nothing local is started for them. */
  readonly external: Partial<Record<ServerName, string>>;
  /** Brokers of the local Kafka: 1 (the default) or a KRaft cluster of 3 (see kafkaBrokersFrom). */
  readonly kafkaBrokers: KafkaBrokers;
}

export const KAFKA_BROKER_COUNTS = [1, 3] as const;
export type KafkaBrokers = (typeof KAFKA_BROKER_COUNTS)[number];

/** Reads the environment once; nothing else in the stack looks at process.env for settings. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const external: Partial<Record<ServerName, string>> = {};
  for (const name of SERVER_NAMES) {
    const value = env[ENV_VAR[name]]?.trim();
    if (value) external[name] = value;
  }
  const dir = resolve(env.GENSTREAM_STACK_DIR ?? resolve(repoRoot(), '.stack'));
  return {
    dir,
    host: '127.0.0.1',
    ports: shiftPorts(portOffsetFromEnv(env)),
    external,
    kafkaBrokers: kafkaBrokersFrom(env, paths({ dir }, 'kafka').pidFile),
  };
}

/**
 * GENSTREAM_KAFKA_BROKERS (`stack:up -- --brokers 3` sets it) when given; otherwise as many as the
 * local Kafka was started with (so `status`, `env` and `down` find a running cluster whole), else 1.
 */
export function kafkaBrokersFrom(env: NodeJS.ProcessEnv, kafkaPidFile: string): KafkaBrokers {
  const raw = env.GENSTREAM_KAFKA_BROKERS?.trim();
  if (raw) {
    const count = KAFKA_BROKER_COUNTS.find((allowed) => String(allowed) === raw);
    if (count === undefined)
      throw new Error(
        `GENSTREAM_KAFKA_BROKERS (--brokers) must be ${KAFKA_BROKER_COUNTS.join(' or ')}, got "${raw}"`,
      );
    return count;
  }
  return readPidRecords(kafkaPidFile).length === 3 ? 3 : 1;
}

/**
 * GENSTREAM_STACK_PORT_OFFSET: a second checkout on the same machine runs its own stack (and its
 * services) beside the first one, every port shifted by this much.
 */
export function portOffsetFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GENSTREAM_STACK_PORT_OFFSET ?? '0';
  const offset = Number(raw);
  if (!Number.isInteger(offset) || offset < 0 || offset > 20_000) {
    throw new Error(`GENSTREAM_STACK_PORT_OFFSET must be an integer from 0 to 20000, got "${raw}"`);
  }
  return offset;
}

function shiftPorts(offset: number): StackConfig['ports'] {
  const shifted = { ...DEFAULT_PORTS } as Record<keyof typeof DEFAULT_PORTS, number>;
  for (const key of Object.keys(shifted) as (keyof typeof DEFAULT_PORTS)[]) shifted[key] += offset;
  return shifted;
}

/** The repository's root folder (from tools/stack/src), for every tool that needs it. */
export function repoRoot(): string {
  return resolve(import.meta.dirname, '../../..');
}

/** A Kafka cluster keeps its data apart from the single broker's: its identity and quorum differ. */
export const paths = (config: Pick<StackConfig, 'dir'> & Partial<StackConfig>, server: ServerName) => ({
  home: resolve(config.dir, server),
  data: resolve(
    config.dir,
    'data',
    server === 'kafka' && (config.kafkaBrokers ?? 1) > 1 ? `kafka-${config.kafkaBrokers}-brokers` : server,
  ),
  log: resolve(config.dir, 'logs', `${server}.log`),
  installLog: resolve(config.dir, 'logs', `${server}-install.log`),
  pidFile: resolve(config.dir, 'run', `${server}.pid.json`),
});
