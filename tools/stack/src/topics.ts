import { loadConfig } from '@genstream/config';
import { contractTopics } from '@genstream/events';
import { ensureTopicPartitions } from '@genstream/kafka';
import { commonConfig } from '@genstream/service/config';

/**
 * `stack:up` creates genstream's topics as a deployment's topic job would (`npm run topics`, the
 * same mechanism): the contract's topics and their dead-letter topics, with KAFKA_PARTITIONS
 * partitions (6 by default). Existing topics are kept as they are; raising them is
 * `npm run topics -- --partitions N`. Returns a line saying what was done.
 */
export async function ensureGenstreamTopics(
  brokers: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { KAFKA_PARTITIONS, TOPIC_PREFIX } = commonConfig('generation');
  const config = loadConfig({ KAFKA_PARTITIONS, TOPIC_PREFIX }, env);
  const topics = contractTopics(config.TOPIC_PREFIX);
  const creation = { partitions: config.KAFKA_PARTITIONS, replicationFactor: -1 };
  const plan = await ensureTopicPartitions(brokers.split(','), topics, creation, 'create');
  const created = plan.filter((item) => item.action === 'created').length;
  const fewer = plan.filter((item) => item.after < config.KAFKA_PARTITIONS).map((item) => item.topic);
  return (
    `Topics: ${created} of ${plan.length} created with ${config.KAFKA_PARTITIONS} partitions` +
    (fewer.length > 0
      ? `; ${fewer.length} have fewer (npm run topics -- --partitions ${config.KAFKA_PARTITIONS} raises them)`
      : '')
  );
}
