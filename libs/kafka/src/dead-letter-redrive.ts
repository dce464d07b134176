import type { Admin, IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { formatDeadLetterId, type StoredDeadLetter } from './dead-letter-store.js';
import { topicEnds } from './group-offsets.js';
import { readTopicRange } from './topic-reader.js';

/**
 * Headers a redriven record carries (besides every header of the original record). The first is
 * what makes a redrive idempotent: before publishing, the original topic is scanned for it.
 * Not under `genstream.dlq.`, so a redriven record that fails again keeps them in its dead letter.
 */
export const REDRIVE_HEADERS = {
  /** `<topic>:<partition>:<offset>` of the original record: one republish per original record. */
  original: 'genstream.redrive.original',
  /** The dead letters redriven, `<dlq topic>:<partition>:<offset>`, comma-separated. */
  from: 'genstream.redrive.from',
  /** When, ISO 8601 UTC. */
  at: 'genstream.redrive.at',
} as const;

/**
 * The scan for earlier redrives starts this long before the oldest failure chosen: slack for a
 * clock of the operator's machine or the broker behind the failing service's.
 */
export const REDRIVE_SCAN_SLACK_MS = 10 * 60_000;

/** One original record and the dead letters of it chosen (one per service that failed on it). */
export interface RedriveUnit {
  /** `<topic>:<partition>:<offset>` of the original record. */
  readonly original: string;
  readonly topic: string;
  readonly letters: readonly StoredDeadLetter[];
}

export type RedriveAction = 'published' | 'would publish' | 'already redriven';

export interface RedriveItem extends RedriveUnit {
  readonly action: RedriveAction;
  /** Where the earlier redrive put it (`<topic>:<partition>:<offset>`), for 'already redriven'. */
  readonly redrivenAs?: string;
}

export interface RedriveProgress {
  readonly done: number;
  readonly total: number;
  readonly published: number;
  readonly skipped: number;
}

export interface RedriveOptions {
  readonly dryRun?: boolean;
  /** Records per send, and per progress report (default 200). */
  readonly batchSize?: number;
  readonly onProgress?: (progress: RedriveProgress) => void;
  readonly now?: () => Date;
  /** Per scan of an original topic (default 10 minutes). */
  readonly scanTimeoutMs?: number;
}

export interface RedriveReport {
  readonly items: readonly RedriveItem[];
  readonly published: number;
  readonly skipped: number;
}

/** The chosen dead letters grouped by original record, oldest failure first. */
export function redriveUnits(letters: readonly StoredDeadLetter[]): RedriveUnit[] {
  const units = new Map<string, { topic: string; letters: StoredDeadLetter[] }>();
  for (const stored of letters) {
    const { originalTopic, originalPartition, originalOffset } = stored.letter;
    const original = `${originalTopic}:${originalPartition}:${originalOffset}`;
    const unit = units.get(original) ?? { topic: originalTopic, letters: [] };
    unit.letters.push(stored);
    units.set(original, unit);
  }
  return [...units].map(([original, unit]) => ({ original, ...unit }));
}

/**
 * Original records of `topic` redriven since `since` (less the slack): original -> where the
 * redriven copy is. Only records carrying REDRIVE_HEADERS.original are kept in memory.
 */
export async function findRedriven(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  since: Date,
  timeoutMs = 600_000,
): Promise<Map<string, string>> {
  const ends = await topicEnds(admin, topic);
  const starts = await admin.fetchTopicOffsetsByTimestamp(topic, since.getTime() - REDRIVE_SCAN_SLACK_MS);
  const from = ends.map((end) => ({
    ...end,
    high: starts.find((start) => start.partition === end.partition)?.offset ?? end.low,
  }));
  const marked = await readTopicRange(kafka, topic, from, ends, {
    timeoutMs,
    select: (record) => record.headers[REDRIVE_HEADERS.original] !== undefined,
  });
  const redriven = new Map<string, string>();
  for (const record of marked) {
    const original = headerText(record.headers[REDRIVE_HEADERS.original]);
    if (original !== undefined && !redriven.has(original)) {
      redriven.set(original, `${topic}:${record.partition}:${record.offset}`);
    }
  }
  return redriven;
}

/**
 * Republishes the original record of each chosen dead letter to its original topic (key, value
 * and headers as they were, plus REDRIVE_HEADERS), once per original record: one that a redrive
 * already republished (found on its topic by findRedriven) is skipped. With `dryRun`, only says
 * what it would do. Resolves once Kafka acknowledged every record published.
 */
export async function redriveDeadLetters(
  kafka: Kafka,
  admin: Admin,
  producer: () => Promise<Producer>,
  letters: readonly StoredDeadLetter[],
  options: RedriveOptions = {},
): Promise<RedriveReport> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 200;
  const units = redriveUnits(letters);
  const items: RedriveItem[] = [];
  const pending: RedriveUnit[] = [];
  for (const topic of new Set(units.map((unit) => unit.topic))) {
    const ofTopic = units.filter((unit) => unit.topic === topic);
    const oldest = Math.min(
      ...ofTopic.flatMap((unit) => unit.letters.map((s) => s.letter.failedAt.getTime())),
    );
    const redriven = await findRedriven(kafka, admin, topic, new Date(oldest), options.scanTimeoutMs);
    for (const unit of ofTopic) {
      const redrivenAs = redriven.get(unit.original);
      if (redrivenAs === undefined) pending.push(unit);
      else items.push({ ...unit, action: 'already redriven', redrivenAs });
    }
  }
  let published = 0;
  const report = () =>
    options.onProgress?.({
      done: items.length,
      total: units.length,
      published,
      skipped: items.filter((item) => item.action === 'already redriven').length,
    });
  if (items.length > 0) report();
  for (let from = 0; from < pending.length; from += batchSize) {
    const batch = pending.slice(from, from + batchSize);
    if (!options.dryRun) {
      const at = now();
      const sender = await producer();
      await sender.sendBatch({
        acks: -1,
        topicMessages: [...new Set(batch.map((unit) => unit.topic))].map((topic) => ({
          topic,
          messages: batch.filter((unit) => unit.topic === topic).map((unit) => redrivenRecord(unit, at)),
        })),
      });
      published += batch.length;
    }
    items.push(
      ...batch.map((unit) => ({ ...unit, action: options.dryRun ? 'would publish' : 'published' }) as const),
    );
    report();
  }
  return { items, published, skipped: items.length - pending.length };
}

/**
 * The original record with the redrive headers. Its timestamp is never before the failures it
 * redrives, so a later findRedriven (which starts at the oldest failure chosen) cannot miss it
 * whatever the clocks say.
 */
export function redrivenRecord(unit: RedriveUnit, at: Date): Message {
  const { letter } = unit.letters[0]!;
  const latestFailure = Math.max(...unit.letters.map((stored) => stored.letter.failedAt.getTime()));
  const headers: IHeaders = { ...letter.headers };
  headers[REDRIVE_HEADERS.original] = unit.original;
  headers[REDRIVE_HEADERS.from] = unit.letters.map((stored) => formatDeadLetterId(stored.id)).join(',');
  headers[REDRIVE_HEADERS.at] = at.toISOString();
  return {
    key: letter.key,
    value: letter.value,
    headers,
    timestamp: String(Math.max(at.getTime(), latestFailure)),
  };
}

function headerText(value: IHeaders[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
