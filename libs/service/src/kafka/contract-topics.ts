import { loadConfig } from '@genstream/config';
import { contractTopics } from '@genstream/events';
import { ensureTopicPartitions, type PartitionsMode, type TopicPartitions } from '@genstream/kafka';
import { commonConfig } from '../config/common-config.js';

export interface ContractTopicsResult {
  readonly brokers: readonly string[];
  /** The partition count asked for: `partitions`, else KAFKA_PARTITIONS (6 by default). */
  readonly partitions: number;
  readonly plan: readonly TopicPartitions[];
}

/**
 * genstream's topics (the contract's four and their dead-letter topics, under TOPIC_PREFIX) on the
 * cluster of KAFKA_BROKERS, read from `env` as the services read them: what `npm run topics` and
 * `stack:up` both do, each in its own mode (see PartitionsMode).
 */
export async function ensureContractTopics(
  env: NodeJS.ProcessEnv,
  mode: PartitionsMode,
  partitions?: number,
): Promise<ContractTopicsResult> {
  const { KAFKA_BROKERS, TOPIC_PREFIX, KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR } =
    commonConfig('generation');
  const config = loadConfig({ KAFKA_BROKERS, TOPIC_PREFIX, KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR }, env);
  const wanted = partitions ?? config.KAFKA_PARTITIONS;
  const plan = await ensureTopicPartitions(
    config.KAFKA_BROKERS,
    contractTopics(config.TOPIC_PREFIX),
    { partitions: wanted, replicationFactor: config.KAFKA_REPLICATION_FACTOR ?? -1 },
    mode,
  );
  return { brokers: config.KAFKA_BROKERS, partitions: wanted, plan };
}
