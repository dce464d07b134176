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
  /**
   * Kafka as a three-node cluster of its own (folder and ports apart), beside the suite's stores:
   * the cases of a cluster use it, the others the single broker.
   */
  readonly kafkaCluster?: { readonly dir: string; readonly portOffset: number };
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

/** The same suite stack, with Kafka as a three-broker cluster 100 ports above the rest. */
export function withKafkaCluster(settings: FaultStackSettings): FaultStackSettings {
  return {
    ...settings,
    kafkaCluster: { dir: resolve(settings.dir, 'kafka-cluster'), portOffset: settings.portOffset + 100 },
  };
}

const STORE_SERVERS = CORE_SERVER_NAMES.filter((name) => name !== 'kafka');

/**
 * The stack of the suite: the variables that would point at external servers (KAFKA_BROKERS, ...)
 * are ignored on purpose, since a fault case must be able to stop and start each server.
 */
export class FaultStack {
  readonly config: StackConfig;
  /** Where Kafka runs: the same stack, or the cluster's own (settings.kafkaCluster). */
  readonly kafkaConfig: StackConfig;

  constructor(readonly settings: FaultStackSettings) {
    this.config = loadStackConfig({
      GENSTREAM_STACK_DIR: settings.dir,
      GENSTREAM_STACK_PORT_OFFSET: String(settings.portOffset),
    });
    const cluster = settings.kafkaCluster;
    this.kafkaConfig = cluster
      ? loadStackConfig({
          GENSTREAM_STACK_DIR: cluster.dir,
          GENSTREAM_STACK_PORT_OFFSET: String(cluster.portOffset),
          GENSTREAM_KAFKA_BROKERS: '3',
        })
      : this.config;
  }

  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL and REDIS_URL of the suite's servers. */
  get env(): Record<string, string> {
    return { ...stackEnv(this.kafkaConfig, ['kafka']), ...stackEnv(this.config, STORE_SERVERS) };
  }

  async up(only: readonly FaultServer[] = CORE_SERVER_NAMES): Promise<readonly ServerName[]> {
    const stores = only.filter((name) => name !== 'kafka');
    const [kafka, rest] = await Promise.all([
      only.includes('kafka') ? stackUp(this.kafkaConfig, ['kafka']) : undefined,
      stores.length > 0 ? stackUp(this.config, stores) : undefined,
    ]);
    return [...(kafka?.started ?? []), ...(rest?.started ?? [])];
  }

  async down(only: readonly FaultServer[] = CORE_SERVER_NAMES): Promise<void> {
    const stores = only.filter((name) => name !== 'kafka');
    await Promise.all([
      only.includes('kafka') ? stackDown(this.kafkaConfig, ['kafka']) : undefined,
      stores.length > 0 ? stackDown(this.config, stores) : undefined,
    ]);
  }
}
