// A start line for a drain. Instances started together still join their group one after another
// (the first to boot takes every partition and drains alone until the next one joins), so the gate
// joins the fresh group first, as its leader, and holds every partition while the instances join
// with none; once all are members it leaves, the group rebalances among the instances alone, and
// they all start reading the pre-filled topic from its beginning at the same moment. It reads and
// commits nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { AssignerProtocol, type Admin, type Consumer, type Kafka, type PartitionAssigner } from 'kafkajs';

/** The services' consumers use kafkajs' default assigner: the gate must offer the same protocol name. */
const PROTOCOL = 'RoundRobinAssigner';
const MARK = Buffer.from('genstream-bench-gate');

/**
 * Run by the group's leader (the gate, the first member): every partition to the gate, none to the
 * others. Any other leader would run its own round robin instead.
 */
export function holdingAssigner(partitions: number): PartitionAssigner {
  return () => ({
    name: PROTOCOL,
    version: 0,
    assign: async ({ members, topics }) => {
      const isGate = (metadata: Buffer) =>
        AssignerProtocol.MemberMetadata.decode(metadata)?.userData.equals(MARK) === true;
      const all = Object.fromEntries(
        topics.map((topic) => [topic, Array.from({ length: partitions }, (_, i) => i)]),
      );
      return members.map(({ memberId, memberMetadata }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: isGate(memberMetadata) ? all : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol: ({ topics }) => ({
      name: PROTOCOL,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: MARK }),
    }),
  });
}

export class Gate {
  private constructor(private readonly consumer: Consumer) {}

  /** Joins `group` (which must have no member yet) as its leader, holding every partition of `topic`. */
  static async hold(kafka: Kafka, group: string, topic: string, partitions: number): Promise<Gate> {
    const consumer = kafka.consumer({
      groupId: group,
      partitionAssigners: [holdingAssigner(partitions)],
      sessionTimeout: 10_000,
      // Rejoins promptly at each instance's join: a rebalance waits for the leader.
      heartbeatInterval: 250,
      // Its partitions are paused: its fetch loop then sleeps maxWaitTime between heartbeats.
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: 1_024,
    });
    await consumer.connect();
    const joined = new Promise<boolean>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => resolve(payload.isLeader)),
    );
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Whatever it fetched before the pause below is left unread and uncommitted.
      eachBatch: async (payload) => {
        payload.pause();
      },
    });
    consumer.pause([{ topic }]);
    if (!(await joined)) {
      await consumer.disconnect();
      throw new Error(`${group} had a leader already: the gate cannot hold it`);
    }
    return new Gate(consumer);
  }

  /** Waits until the group has `members` members (the gate among them) and is Stable. */
  static async untilMembers(admin: Admin, group: string, members: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [description] = (await admin.describeGroups([group])).groups;
      if (description?.state === 'Stable' && description.members.length === members) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${group}: ${description?.members.length ?? 0} of ${members} members (${description?.state}) in time`,
        );
      }
      await sleep(100);
    }
  }

  /** Leaves the group: its partitions go to the instances. */
  async release(): Promise<void> {
    await this.consumer.disconnect();
  }
}
