import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';

/** One partition of a topic, with the node leading it and the nodes in sync with it. */
export interface PartitionLeadership {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number;
  readonly inSync: readonly number[];
  /** Records written to it so far (its end offset). */
  readonly records: number;
}

/** Every partition of these topics, as the cluster's metadata says now. */
export async function partitionLeadership(
  admin: Admin,
  topics: readonly string[],
): Promise<PartitionLeadership[]> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
  const partitions: PartitionLeadership[] = [];
  for (const topic of metadata) {
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic.name)).map((end) => [end.partition, Number(end.high)]),
    );
    for (const partition of topic.partitions)
      partitions.push({
        topic: topic.name,
        partition: partition.partitionId,
        leader: partition.leader,
        inSync: partition.isr,
        records: ends.get(partition.partitionId) ?? 0,
      });
  }
  return partitions;
}

/** The partition with the most records written: where a leader's loss hurts most. */
export function busiest(partitions: readonly PartitionLeadership[]): PartitionLeadership {
  if (partitions.length === 0) throw new Error('no partitions');
  return partitions.reduce((most, partition) => (partition.records > most.records ? partition : most));
}

/**
 * Waits until `check` holds for the partitions' metadata, asking every 250 ms (a request to a
 * broker just killed fails until the client learns of it: asked again). Returns how long it took.
 */
export async function waitForLeadership(
  admin: Admin,
  topics: readonly string[],
  check: (partitions: readonly PartitionLeadership[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<number> {
  const started = Date.now();
  let last: unknown = 'no answer yet';
  while (Date.now() - started < timeoutMs) {
    try {
      const partitions = await partitionLeadership(admin, topics);
      if (check(partitions)) return Date.now() - started;
      last = partitions.map((p) => `${p.topic}[${p.partition}] leader ${p.leader} isr ${p.inSync.join(',')}`);
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s; last seen: ${String(last)}`);
}
