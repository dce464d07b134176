import { sleep } from '@genstream/errors';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { TopicCreationOptions } from './options.js';

/**
 * Creates the topics that do not exist yet; existing ones are left as they are (their partition
 * count is never changed here: that would move keys to other partitions). Several instances
 * starting at once may race to create the same topic; losing that race is fine.
 */
export async function ensureTopics(
  admin: Admin,
  topics: Iterable<string>,
  { partitions, replicationFactor }: TopicCreationOptions,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
      waitForLeaders: false, // kafkajs' default is true; waited for below instead
    });
  } catch (error) {
    if (!onlyAlreadyExists(error)) throw error;
  }
  await waitForLeaders(admin, missing);
  return missing;
}

/** Errors a broker answers for a topic just created, until its metadata has caught up. */
const NOT_YET = new Set(['LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION']);

/**
 * Waits until every partition of the topics has a leader. kafkajs' own wait (createTopics with
 * waitForLeaders) gives up at once when a broker does not know the new topic yet
 * (UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers until the controller's record reaches
 * it): seen failing a service's start on a loaded machine.
 */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (metadata.every((topic) => topic.partitions.every((partition) => partition.leader >= 0))) return;
    } catch (error) {
      if (!NOT_YET.has(String((error as { type?: unknown }).type)) || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`no leader for every partition of ${topics.join(', ')} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function onlyAlreadyExists(error: unknown): boolean {
  const errors = (error as { errors?: { type?: string }[] } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
}

/** What `ensurePartitions` found and did for one topic. */
export interface TopicPartitions {
  readonly topic: string;
  /** Partitions before: undefined for a topic that did not exist. */
  readonly before: number | undefined;
  readonly after: number;
  readonly action: 'created' | 'raised' | 'kept';
}

/**
 * create: missing topics are created, the others kept as they are (what a start-up may do);
 * raise: also topics with fewer partitions get more; plan: what raise would do, nothing changed.
 */
export type PartitionsMode = 'create' | 'raise' | 'plan';

/**
 * Every topic with at least `partitions` partitions (see PartitionsMode). Kafka can only add
 * partitions, and adding moves keys: records of a key written before stay on its old partition,
 * later ones may go to a new one, so per-key order holds only from then on. Hence raising is an
 * explicit command, never done at a service's start.
 */
export async function ensurePartitions(
  admin: Admin,
  topics: Iterable<string>,
  { partitions, replicationFactor }: TopicCreationOptions,
  mode: PartitionsMode,
): Promise<TopicPartitions[]> {
  const wanted = [...new Set(topics)];
  const existing = new Set(await admin.listTopics());
  const present = wanted.filter((topic) => existing.has(topic));
  const metadata = present.length === 0 ? [] : (await admin.fetchTopicMetadata({ topics: present })).topics;
  const counts = new Map(metadata.map((topic) => [topic.name, topic.partitions.length]));
  const plan = wanted.map((topic): TopicPartitions => {
    const before = counts.get(topic);
    if (before === undefined) return { topic, before, after: partitions, action: 'created' };
    if (before < partitions && mode !== 'create')
      return { topic, before, after: partitions, action: 'raised' };
    return { topic, before, after: before, action: 'kept' };
  });
  if (mode === 'plan') return plan;
  const missing = plan.filter((item) => item.action === 'created').map((item) => item.topic);
  await ensureTopics(admin, missing, { partitions, replicationFactor });
  const raised = plan.filter((item) => item.action === 'raised');
  if (raised.length > 0)
    await admin.createPartitions({
      topicPartitions: raised.map(({ topic }) => ({ topic, count: partitions })),
    });
  return plan;
}

/** ensurePartitions on a cluster given by its brokers, with an admin client of its own. */
export async function ensureTopicPartitions(
  brokers: readonly string[],
  topics: Iterable<string>,
  options: TopicCreationOptions,
  mode: PartitionsMode,
): Promise<TopicPartitions[]> {
  const admin = new Kafka({
    clientId: 'genstream-topics',
    brokers: [...brokers],
    logLevel: logLevel.ERROR,
  }).admin();
  await admin.connect();
  try {
    return await ensurePartitions(admin, topics, options, mode);
  } finally {
    await admin.disconnect();
  }
}
