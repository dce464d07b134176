import { ensureContractTopics } from '@genstream/service/topics';

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
  const { partitions, plan } = await ensureContractTopics({ ...env, KAFKA_BROKERS: brokers }, 'create');
  const created = plan.filter((item) => item.action === 'created').length;
  const fewer = plan.filter((item) => item.after < partitions).length;
  return (
    `Topics: ${created} of ${plan.length} created with ${partitions} partitions` +
    (fewer > 0 ? `; ${fewer} have fewer (npm run topics -- --partitions ${partitions} raises them)` : '')
  );
}
