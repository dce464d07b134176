import { contentIdOf, type GenerationRequested } from '@genstream/events';
import type { DeadLetter } from '@genstream/kafka';
import type { StoreReader } from '@genstream/launcher';
import { scanKeys } from '@genstream/testing/redis-keys';

/** The five places a valid request must reach exactly once. */
export const CHECKED_STORES = ['postgres', 'mongo', 'cache', 'vectors', 'status'] as const;
export type CheckedStore = (typeof CHECKED_STORES)[number];

export interface StoreTally {
  /** Valid request ids the store does not have. */
  readonly missing: readonly string[];
  /** Copies beyond the first of a request, plus entries of no valid request of the case. */
  readonly extra: number;
}

/** What the case expects: every valid request stored once, every invalid one reported as failed. */
export interface Expected {
  readonly valid: readonly GenerationRequested[];
  readonly invalid: readonly GenerationRequested[];
}

/** What Kafka shows about the case's requests (records published during the case). */
export interface KafkaEvidence {
  /** Request id (the key) of each ContentGenerated record. */
  readonly generatedKeys: readonly string[];
  /** Each GenerationFailed record: its request and why. */
  readonly failures: readonly { readonly requestId: string; readonly reasonCode: string }[];
  readonly deadLetters: readonly DeadLetter[];
}

export interface Reconciliation {
  readonly stores: Readonly<Record<CheckedStore, StoreTally>>;
  /** Valid requests with no ContentGenerated record on the topic. */
  readonly unpublished: readonly string[];
  /** Invalid requests with no GenerationFailed record. */
  readonly unreportedFailures: readonly string[];
  /** Valid requests reported as failed (a fault turned into a failure: not acceptable). */
  readonly validReportedFailed: readonly string[];
  /** ContentGenerated records beyond one per request: redeliveries the writers had to absorb. */
  readonly redelivered: number;
  readonly deadLetters: readonly DeadLetter[];
  /** Missing entries summed over the stores, plus valid requests that failed. */
  readonly lost: number;
  readonly duplicated: number;
}

/**
 * Compares every store with what the case published. Assumes the stores held nothing else when the
 * case began (see wipeStores), so any entry that is not a valid request of the case counts as extra.
 */
export async function reconcile(
  reader: StoreReader,
  expected: Expected,
  kafka: KafkaEvidence,
): Promise<Reconciliation> {
  const validIds = expected.valid.map((request) => request.requestId);
  const [postgres, mongo, cache, vectors, status] = await Promise.all([
    postgresTally(reader, validIds),
    mongoTally(reader, validIds),
    cacheTally(reader, expected.valid),
    vectorTally(reader, validIds),
    statusTally(reader, expected),
  ]);
  const stores = { postgres, mongo, cache, vectors, status };

  const generatedKeys = new Set(kafka.generatedKeys);
  const unpublished = validIds.filter((id) => !generatedKeys.has(id));
  const failedKeys = new Set(kafka.failures.map((failure) => failure.requestId));
  const unreportedFailures = expected.invalid.map((r) => r.requestId).filter((id) => !failedKeys.has(id));
  const validReportedFailed = validIds.filter((id) => failedKeys.has(id));
  const redelivered = kafka.generatedKeys.length - generatedKeys.size;
  const tallies = Object.values(stores);
  return {
    stores,
    unpublished,
    unreportedFailures,
    validReportedFailed,
    redelivered,
    deadLetters: kafka.deadLetters,
    lost: tallies.reduce((sum, tally) => sum + tally.missing.length, 0) + validReportedFailed.length,
    duplicated: tallies.reduce((sum, tally) => sum + tally.extra, 0),
  };
}

/** One line per problem, for an assertion's message; empty when everything reconciles. */
export function describeProblems(result: Reconciliation): string[] {
  const problems: string[] = [];
  for (const [store, tally] of Object.entries(result.stores)) {
    if (tally.missing.length > 0) {
      problems.push(`${store}: ${tally.missing.length} missing (${tally.missing.slice(0, 3).join(', ')})`);
    }
    if (tally.extra > 0) problems.push(`${store}: ${tally.extra} extra`);
  }
  if (result.unpublished.length > 0) {
    problems.push(`${result.unpublished.length} valid requests without ContentGenerated on the topic`);
  }
  if (result.unreportedFailures.length > 0) {
    problems.push(`${result.unreportedFailures.length} invalid requests not on generation.failed`);
  }
  if (result.validReportedFailed.length > 0) {
    problems.push(`${result.validReportedFailed.length} valid requests reported as failed`);
  }
  return problems;
}

/** A dead letter in one line: which service refused what, and why. */
export function describeDeadLetter(letter: DeadLetter): string {
  return `${letter.service} on ${letter.originalTopic}: ${letter.reasonCode} ${letter.reason}`;
}

function tallyCounts(validIds: readonly string[], counts: Map<string, number>, total: number): StoreTally {
  const missing = validIds.filter((id) => (counts.get(id) ?? 0) === 0);
  // Everything beyond one entry per valid request is extra: second copies, and entries of requests
  // the case did not publish as valid (an invalid request stored).
  return { missing, extra: total - (validIds.length - missing.length) };
}

async function postgresTally(reader: StoreReader, validIds: readonly string[]): Promise<StoreTally> {
  const { rows } = await reader.pool.query<{ id: string; n: number }>(
    'SELECT request_id::text AS id, count(*)::int AS n FROM ai_generated_content GROUP BY request_id',
  );
  const counts = new Map(rows.map((row) => [row.id, row.n]));
  return tallyCounts(validIds, counts, sum(rows.map((row) => row.n)));
}

async function mongoTally(reader: StoreReader, validIds: readonly string[]): Promise<StoreTally> {
  // One scan of the whole collection (FerretDB v1 scans for any filter but an existing _id anyway).
  const documents = await reader.documents.find({}, { projection: { _id: 1, requestId: 1 } }).toArray();
  const counts = new Map<string, number>();
  let misfiled = 0;
  for (const document of documents) {
    const requestId = String(document.requestId);
    // The _id must be the contentId the request id implies: anything else would be a second copy.
    if (document._id !== contentIdOf(requestId)) misfiled += 1;
    else counts.set(requestId, (counts.get(requestId) ?? 0) + 1);
  }
  const tally = tallyCounts(validIds, counts, documents.length - misfiled);
  return { ...tally, extra: tally.extra + misfiled };
}

async function cacheTally(reader: StoreReader, valid: readonly GenerationRequested[]): Promise<StoreTally> {
  const entries = await reader.cacheEntries(valid);
  const counts = new Map<string, number>();
  for (const [requestId, entry] of entries) {
    if (entry.contentId === contentIdOf(requestId)) counts.set(requestId, 1);
  }
  const total = await countKeys(reader, 'genstream:cache:*');
  return tallyCounts(
    valid.map((r) => r.requestId),
    counts,
    total,
  );
}

async function vectorTally(reader: StoreReader, validIds: readonly string[]): Promise<StoreTally> {
  const elements = await reader.vectorElements(validIds.map(contentIdOf));
  const counts = new Map(validIds.flatMap((id) => (elements.has(contentIdOf(id)) ? [[id, 1] as const] : [])));
  const total = await reader.vectorCount();
  const tally = tallyCounts(validIds, counts, total);
  // A hydration hash is part of the element: without it a search hit cannot be shown.
  const unhydrated = [...elements.values()].filter((element) => element.doc.output === undefined).length;
  return { ...tally, extra: tally.extra + unhydrated };
}

/** Valid requests must read `done`, invalid ones `failed`: what a client polling the API sees. */
async function statusTally(reader: StoreReader, expected: Expected): Promise<StoreTally> {
  const statuses = await reader.statuses([...expected.valid, ...expected.invalid].map((r) => r.requestId));
  const wrong = (requests: readonly GenerationRequested[], state: string) =>
    requests.filter((r) => statuses.get(r.requestId)?.state !== state).map((r) => r.requestId);
  return { missing: [...wrong(expected.valid, 'done'), ...wrong(expected.invalid, 'failed')], extra: 0 };
}

async function countKeys(reader: StoreReader, pattern: string): Promise<number> {
  let count = 0;
  for await (const keys of scanKeys(reader.redis, pattern)) count += keys.length;
  return count;
}

/**
 * Empties the stores between cases (only ever the suite's own servers): PostgreSQL's content and
 * users, the MongoDB collection, and Redis, vector set included; the API keys stay, so the
 * services' callers keep their credential.
 */
export async function wipeStores(reader: StoreReader): Promise<void> {
  await reader.pool.query('TRUNCATE ai_generated_content, users RESTART IDENTITY CASCADE');
  await reader.documents.deleteMany({});
  const keys: [string, Record<string, string>][] = [];
  for await (const batch of scanKeys(reader.redis, 'genstream:auth:key:*'))
    for (const key of batch) keys.push([key, await reader.redis.hgetall(key)]);
  const index = await reader.redis.smembers('genstream:auth:keys');
  await reader.redis.flushdb();
  for (const [key, fields] of keys) await reader.redis.hset(key, fields);
  if (index.length > 0) await reader.redis.sadd('genstream:auth:keys', ...index);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
