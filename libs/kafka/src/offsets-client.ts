import { Kafka, logLevel, type Admin } from 'kafkajs';
import { groupPositions, topicEnds, type GroupPosition, type PartitionEnd } from './group-offsets.js';

/**
 * Where a topic ends and where a consumer group stands on it, for a process that follows its own
 * group's progress (a reindex) without a driver of its own. One admin connection, closed on release.
 */
export class OffsetsClient implements AsyncDisposable {
  private constructor(private readonly admin: Admin) {}

  static async connect(brokers: readonly string[], clientId = 'genstream-offsets'): Promise<OffsetsClient> {
    const kafka = new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    return new OffsetsClient(admin);
  }

  topicEnds(topic: string): Promise<PartitionEnd[]> {
    return topicEnds(this.admin, topic);
  }

  groupPositions(groupId: string, topic: string, ends?: readonly PartitionEnd[]): Promise<GroupPosition[]> {
    return groupPositions(this.admin, groupId, topic, ends);
  }

  /** Deletes a group that has no members left; false when the broker refused (it still has some). */
  async deleteGroup(groupId: string): Promise<boolean> {
    try {
      await this.admin.deleteGroups([groupId]);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
