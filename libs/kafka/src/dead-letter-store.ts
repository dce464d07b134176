import { ContractViolationError } from '@genstream/errors';
import type { Admin, Kafka } from 'kafkajs';
import { parseDeadLetter, type DeadLetter } from './dead-letter.js';
import { topicEnds, type PartitionEnd } from './group-offsets.js';
import { readTopicRange, type TopicRecord } from './topic-reader.js';

// Finding dead letters for an operator (npm run dlq): every `.dlq` topic read with a throwaway
// group that commits nothing, each record parsed, then filtered by topic, code, service and time.

/** Where a dead letter is, written `<dead-letter topic>:<partition>:<offset>`. */
export interface DeadLetterId {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export function formatDeadLetterId({ topic, partition, offset }: DeadLetterId): string {
  return `${topic}:${partition}:${offset}`;
}

/** `<topic>:<partition>:<offset>` (Kafka topic names hold no colon); throws on anything else. */
export function parseDeadLetterId(text: string): DeadLetterId {
  const match = /^([A-Za-z0-9._-]+):(\d+):(\d+)$/.exec(text.trim());
  if (!match)
    throw new ContractViolationError(`"${text}" is no dead letter id (<dlq topic>:<partition>:<offset>)`);
  return { topic: match[1]!, partition: Number(match[2]), offset: String(BigInt(match[3]!)) };
}

/** A dead letter and where it is. */
export interface StoredDeadLetter {
  readonly id: DeadLetterId;
  readonly letter: DeadLetter;
}

/** A record of a dead-letter topic that is no dead letter (written by something else). */
export interface UnreadableRecord {
  readonly id: DeadLetterId;
  readonly problem: string;
}

/** What to choose; every field given must match (within a field, any of its values). */
export interface DeadLetterFilter {
  /** Original topics (a dead-letter topic's name chooses its letters too). */
  readonly topics?: readonly string[];
  /** Reason codes, e.g. EVENT_UNKNOWN_SCHEMA. */
  readonly codes?: readonly string[];
  /** The services that failed on the record. */
  readonly services?: readonly string[];
  /** Failed at or after. */
  readonly since?: Date;
  /** Failed before. */
  readonly until?: Date;
  /** These dead letters only. */
  readonly ids?: readonly DeadLetterId[];
}

export interface DeadLetterListing {
  /** Oldest failure first. */
  readonly letters: readonly StoredDeadLetter[];
  readonly unreadable: readonly UnreadableRecord[];
  /** The dead-letter topics read (those of `deadLetterTopics` that exist and the filter allows). */
  readonly topics: readonly string[];
  /** Records read, before filtering. */
  readonly read: number;
}

export function matchesFilter({ id, letter }: StoredDeadLetter, filter: DeadLetterFilter): boolean {
  const anyOf = (values: readonly string[] | undefined, value: string) =>
    values === undefined || values.length === 0 || values.includes(value);
  const topicChosen =
    filter.topics === undefined ||
    filter.topics.length === 0 ||
    filter.topics.includes(letter.originalTopic) ||
    filter.topics.includes(id.topic);
  const ids = filter.ids ?? [];
  return (
    topicChosen &&
    anyOf(filter.codes, letter.reasonCode) &&
    anyOf(filter.services, letter.service) &&
    (filter.since === undefined || letter.failedAt >= filter.since) &&
    (filter.until === undefined || letter.failedAt < filter.until) &&
    (ids.length === 0 || ids.some((chosen) => sameId(chosen, id)))
  );
}

const sameId = (a: DeadLetterId, b: DeadLetterId) =>
  a.topic === b.topic && a.partition === b.partition && BigInt(a.offset) === BigInt(b.offset);

/** The dead letters of `deadLetterTopics` that `filter` chooses; topics that do not exist are skipped. */
export async function findDeadLetters(
  kafka: Kafka,
  admin: Admin,
  deadLetterTopics: readonly string[],
  filter: DeadLetterFilter = {},
  timeoutMs = 120_000,
): Promise<DeadLetterListing> {
  const existing = new Set(await admin.listTopics());
  const ids = filter.ids ?? [];
  for (const id of ids) {
    if (!existing.has(id.topic))
      throw new ContractViolationError(`no topic ${id.topic} (in ${formatDeadLetterId(id)})`);
  }
  const topics = (ids.length > 0 ? [...new Set(ids.map((id) => id.topic))] : deadLetterTopics).filter(
    (topic) =>
      existing.has(topic) &&
      (filter.topics === undefined ||
        filter.topics.length === 0 ||
        filter.topics.some((chosen) => topic === chosen || topic === `${chosen}.dlq`)),
  );
  const perTopic = await Promise.all(
    topics.map(async (topic) => {
      const [from, to] = await rangeOf(admin, topic, filter);
      const records = await readTopicRange(kafka, topic, from, to, { timeoutMs });
      return records.map((record) => ({ topic, record }));
    }),
  );
  const letters: StoredDeadLetter[] = [];
  const unreadable: UnreadableRecord[] = [];
  let read = 0;
  for (const { topic, record } of perTopic.flat()) {
    read += 1;
    const id = { topic, partition: record.partition, offset: record.offset };
    const parsed = parse(record);
    if (typeof parsed === 'string') unreadable.push({ id, problem: parsed });
    else if (matchesFilter({ id, letter: parsed }, filter)) letters.push({ id, letter: parsed });
  }
  letters.sort(
    (a, b) =>
      a.letter.failedAt.getTime() - b.letter.failedAt.getTime() ||
      formatDeadLetterId(a.id).localeCompare(formatDeadLetterId(b.id)),
  );
  return { letters, unreadable, topics, read };
}

function parse(record: TopicRecord): DeadLetter | string {
  try {
    return parseDeadLetter(record);
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Where to read `topic`: explicit ids narrow it to their offsets; `since` starts each partition at
 * the first record written at or after it (a dead letter is written after its failure time, so
 * none failed since then is skipped); otherwise the whole topic.
 */
async function rangeOf(
  admin: Admin,
  topic: string,
  filter: DeadLetterFilter,
): Promise<[PartitionEnd[], PartitionEnd[]]> {
  const ends = await topicEnds(admin, topic);
  const ids = (filter.ids ?? []).filter((id) => id.topic === topic);
  if (ids.length > 0) {
    const chosen = ends.flatMap((end) => {
      const offsets = ids.filter((id) => id.partition === end.partition).map((id) => BigInt(id.offset));
      if (offsets.length === 0) return [];
      const first = offsets.reduce((a, b) => (a < b ? a : b));
      const last = offsets.reduce((a, b) => (a > b ? a : b));
      const high = last + 1n < BigInt(end.high) ? last + 1n : BigInt(end.high);
      const low = first > BigInt(end.low) ? first : BigInt(end.low);
      return [{ from: { ...end, high: String(low) }, to: { ...end, high: String(high) } }];
    });
    return [chosen.map((c) => c.from), chosen.map((c) => c.to)];
  }
  if (filter.since === undefined) return [ends.map((end) => ({ ...end, high: end.low })), ends];
  const starts = await admin.fetchTopicOffsetsByTimestamp(topic, filter.since.getTime());
  return [
    ends.map((end) => ({
      ...end,
      high: starts.find((start) => start.partition === end.partition)?.offset ?? end.low,
    })),
    ends,
  ];
}
