import { resolve } from 'node:path';
import { paths, type StackConfig } from '../config.js';
import { isAlive, readPidRecords, type PidRecord } from '../processes.js';

/** One Kafka process of the local stack: a KRaft node acting as broker and controller. */
export interface KafkaNode {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly dataDir: string;
  readonly logFile: string;
  readonly propertiesFile: string;
}

/** Node n listens 10 ports above node n-1, so the cluster's ports sit together. */
const PORT_STEP = 10;

/**
 * The nodes of the local Kafka. A single broker keeps the folders it always had; a cluster has
 * one of its own, a folder per node inside, so switching between the two loses neither.
 */
export function kafkaNodes(config: StackConfig): KafkaNode[] {
  const { home, data, log } = paths(config, 'kafka');
  if (config.kafkaBrokers === 1) {
    return [
      {
        id: 1,
        brokerPort: config.ports.kafka,
        controllerPort: config.ports.kafkaController,
        dataDir: data,
        logFile: log,
        propertiesFile: resolve(home, 'server.properties'),
      },
    ];
  }
  const clusterData = data; // paths() gives a cluster a folder of its own
  return Array.from({ length: config.kafkaBrokers }, (_, index) => ({
    id: index + 1,
    brokerPort: config.ports.kafka + index * PORT_STEP,
    controllerPort: config.ports.kafkaController + index * PORT_STEP,
    dataDir: resolve(clusterData, `node-${index + 1}`),
    logFile: resolve(log, '..', `kafka-node-${index + 1}.log`),
    propertiesFile: resolve(home, `server-node-${index + 1}.properties`),
  }));
}

export function brokerAddresses(config: StackConfig): string {
  return kafkaNodes(config)
    .map((node) => `${config.host}:${node.brokerPort}`)
    .join(',');
}

/**
 * One node's settings, loopback only. A cluster replicates every topic to all three nodes and
 * acknowledges a write once two hold it (min.insync.replicas=2 with the producers' acks=all), so
 * it loses nothing and keeps accepting writes when any one node is down.
 */
export function nodeProperties(config: StackConfig, node: KafkaNode): string {
  const { host } = config;
  const nodes = kafkaNodes(config);
  const replicas = nodes.length;
  const minInSync = replicas === 1 ? 1 : 2;
  return `${[
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${nodes.map((n) => `${n.id}@${host}:${n.controllerPort}`).join(',')}`,
    `listeners=PLAINTEXT://${host}:${node.brokerPort},CONTROLLER://${host}:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${node.brokerPort}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${node.dataDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=false', // genstream creates its topics explicitly
    // Topics created with replication factor -1 (genstream's) take these.
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${minInSync}`,
    `offsets.topic.replication.factor=${replicas}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minInSync}`,
    `share.coordinator.state.topic.replication.factor=${replicas}`,
    `share.coordinator.state.topic.min.isr=${minInSync}`,
    'unclean.leader.election.enable=false', // a replica that missed writes never becomes leader
    'group.initial.rebalance.delay.ms=0', // no 3 s wait before the first rebalance: tests stay fast
  ].join('\n')}\n`;
}

/** The local Kafka's nodes, each with its process when it runs (a fault case kills one by id). */
export function kafkaNodeProcesses(config: StackConfig): { node: KafkaNode; process?: PidRecord }[] {
  const records = readPidRecords(paths(config, 'kafka').pidFile);
  return kafkaNodes(config).map((node, index) => {
    const record = records[index];
    return { node, process: record && isAlive(record) ? record : undefined };
  });
}
