import type { Admin } from 'kafkajs';

/** A partition's first and next offsets, as of when they were read. */
export interface PartitionEnd {
  readonly partition: number;
  readonly low: string;
  /** The offset the next record written to the partition will get. */
  readonly high: string;
}

/** Where a consumer group stands on one partition. */
export interface GroupPosition {
  readonly partition: number;
  /** The offset the group reads next. */
  readonly next: bigint;
  /** Records between `next` and the partition's end: not yet committed by the group. */
  readonly behind: bigint;
}

/** Where each partition of `topic` ends now. */
export async function topicEnds(admin: Admin, topic: string): Promise<PartitionEnd[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map(({ partition, low, high }) => ({ partition, low, high }));
}

/**
 * Where `groupId` stands on each partition of `topic` (against `ends`, taken now when not given).
 * Its next offset is its commit; with nothing committed yet (-1) it is the partition's low offset,
 * where a new group starts reading, so a partition with nothing to read counts as caught up.
 */
export async function groupPositions(
  admin: Admin,
  groupId: string,
  topic: string,
  ends?: readonly PartitionEnd[],
): Promise<GroupPosition[]> {
  const [partitionEnds, [committed]] = await Promise.all([
    ends ?? topicEnds(admin, topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  return partitionEnds.map((end) => {
    const offset = BigInt(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
    const next = offset >= 0n ? offset : BigInt(end.low);
    return { partition: end.partition, next, behind: BigInt(end.high) - next };
  });
}

/** The offsets `groupId` has committed on `topic`, summed over its partitions (none counts as 0). */
export async function committedTotal(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}
