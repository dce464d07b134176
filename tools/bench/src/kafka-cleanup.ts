import { Kafka, logLevel, type Admin } from 'kafkajs';

/** Deletes the topics and consumer groups named with this run's prefix: nothing of a bench stays behind. */
export async function deleteTopicsAndGroups(admin: Admin, prefix: string): Promise<void> {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  const { groups } = await admin.listGroups();
  const groupIds = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
  if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
}

/** deleteTopicsAndGroups through an admin client of its own, on `brokers` (comma-separated). */
export async function deletePrefixedTopics(brokers: string, prefix: string, clientId: string): Promise<void> {
  const admin = new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await deleteTopicsAndGroups(admin, prefix);
  } finally {
    await admin.disconnect();
  }
}
