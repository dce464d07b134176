import type { Admin } from 'kafkajs';
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
      waitForLeaders: true,
    });
  } catch (error) {
    if (!onlyAlreadyExists(error)) throw error;
  }
  return missing;
}

function onlyAlreadyExists(error: unknown): boolean {
  const errors = (error as { errors?: { type?: string }[] } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
}
