// One check of one store: which of the tracked requests it now has. Both systems are checked with
// the same queries on the launcher's StoreReader connections, only the table and key names differ.
import type { StoreName, StoreReader } from '@genstream/launcher';
import type { Document } from 'mongodb';
import { chunks } from '../settings.js';
import type { StoreTarget, Tracked } from './system-under-test.js';

type Check = (reader: StoreReader, target: StoreTarget, items: readonly Tracked[]) => Promise<Tracked[]>;

const inPostgres: Check = async (reader, target, items) => {
  const found = new Set<string>();
  for (const chunk of chunks(items, 2_000)) {
    const { rows } = await reader.pool.query<{ content_id: string }>(
      `SELECT content_id FROM ${target.contentTable} WHERE content_id = ANY($1::uuid[])`,
      [chunk.map((item) => item.contentId)],
    );
    for (const row of rows) found.add(row.content_id);
  }
  return items.filter((item) => found.has(item.contentId));
};

// One query for all: FerretDB v1 answers `_id: {$in}` with one collection scan, so more, smaller
// queries would each scan the whole collection again.
const inMongo: Check = async (_reader, target, items) => {
  const found = new Set<string>();
  for (const chunk of chunks(items, 10_000)) {
    const documents = await target.documents
      .find({ _id: { $in: chunk.map((item) => item.contentId) } } as Document, { projection: { _id: 1 } })
      .toArray();
    for (const document of documents) found.add(String(document._id));
  }
  return items.filter((item) => found.has(item.contentId));
};

/** A done status counts; a failed one fails the run. */
const inRedis: Check = async (reader, target, items) => {
  const present: Tracked[] = [];
  for (const chunk of chunks(items, 1_000)) {
    const values = await reader.redis.mget(...chunk.map((item) => target.statusKey(item.requestId)));
    values.forEach((value, i) => {
      if (value === null) return;
      const status = JSON.parse(value) as { state: string; code?: string; message?: string };
      if (status.state === 'failed') {
        throw new Error(`request ${chunk[i]!.requestId} failed: ${status.code}: ${status.message}`);
      }
      if (status.state === 'done') present.push(chunk[i]!);
    });
  }
  return present;
};

const inVectorSet: Check = async (reader, target, items) => {
  const pipeline = reader.redis.pipeline();
  for (const item of items) pipeline.vismember(target.vectorSet, item.contentId);
  const replies = (await pipeline.exec()) ?? [];
  return items.filter((_, i) => {
    const [error, reply] = replies[i] ?? [null, 0];
    if (error) throw error;
    return reply === 1 || reply === true;
  });
};

const CHECKS: Record<StoreName, Check> = {
  postgres: inPostgres,
  mongo: inMongo,
  redis: inRedis,
  vectors: inVectorSet,
};

/** The tracked requests now present in `store`. */
export function presentIn(
  reader: StoreReader,
  store: StoreName,
  target: StoreTarget,
  items: readonly Tracked[],
): Promise<Tracked[]> {
  return CHECKS[store](reader, target, items);
}
