import { contentIdOf } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import type { StoreReader } from '@genstream/launcher';
import { describe, expect, it } from 'vitest';
import { describeProblems, reconcile, type KafkaEvidence } from './reconcile.js';

const valid = [aGenerationRequested(), aGenerationRequested(), aGenerationRequested()];
const invalid = [aGenerationRequested({ prompt: '' })];
const ids = valid.map((r) => r.requestId);

interface Stores {
  /** request ids of PostgreSQL rows (a repeat is a duplicate row). */
  postgres: string[];
  /** [_id, requestId] of MongoDB documents. */
  mongo: [string, string][];
  cache: string[];
  cacheKeys: number;
  vectors: string[];
  vectorCount: number;
  done: string[];
  failed: string[];
}

/** A StoreReader over in-memory contents: the reconciliation's arithmetic, without servers. */
function readerOf(stores: Stores): StoreReader {
  const counts = new Map<string, number>();
  for (const id of stores.postgres) counts.set(id, (counts.get(id) ?? 0) + 1);
  return {
    pool: { query: async () => ({ rows: [...counts].map(([id, n]) => ({ id, n })) }) },
    documents: {
      find: () => ({ toArray: async () => stores.mongo.map(([_id, requestId]) => ({ _id, requestId })) }),
    },
    cacheEntries: async () =>
      new Map(stores.cache.map((id) => [id, { contentId: contentIdOf(id) }] as const)),
    redis: { scan: async () => ['0', Array.from({ length: stores.cacheKeys }, (_, i) => `k${i}`)] },
    vectorElements: async () =>
      new Map(
        stores.vectors.map((id) => [contentIdOf(id), { contentId: contentIdOf(id), doc: { output: 'x' } }]),
      ),
    vectorCount: async () => stores.vectorCount,
    statuses: async () =>
      new Map<string, { state: string }>([
        ...stores.done.map((id): [string, { state: string }] => [id, { state: 'done' }]),
        ...stores.failed.map((id): [string, { state: string }] => [id, { state: 'failed' }]),
      ]),
  } as unknown as StoreReader;
}

const complete: Stores = {
  postgres: ids,
  mongo: ids.map((id) => [contentIdOf(id), id]),
  cache: ids,
  cacheKeys: 3,
  vectors: ids,
  vectorCount: 3,
  done: ids,
  failed: invalid.map((r) => r.requestId),
};

const evidence: KafkaEvidence = {
  generatedKeys: ids,
  failures: invalid.map((r) => ({ requestId: r.requestId, reasonCode: 'CONTRACT_VIOLATION' })),
  deadLetters: [],
};

describe('reconcile', () => {
  it('finds nothing to report when every store has each valid request once', async () => {
    const result = await reconcile(readerOf(complete), { valid, invalid }, evidence);
    expect(describeProblems(result)).toEqual([]);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, redelivered: 0 });
  });

  it('counts a missing row, a second document under another _id and a stray cache entry', async () => {
    const stores: Stores = {
      ...complete,
      postgres: ids.slice(1),
      mongo: [...complete.mongo, ['some-other-id', ids[0]!]],
      cacheKeys: 4,
    };
    const result = await reconcile(readerOf(stores), { valid, invalid }, evidence);
    expect(result.stores.postgres).toEqual({ missing: [ids[0]], extra: 0 });
    expect(result.stores.mongo.extra).toBe(1);
    expect(result.stores.cache.extra).toBe(1);
    expect(result).toMatchObject({ lost: 1, duplicated: 2 });
    expect(describeProblems(result)).toEqual([
      `postgres: 1 missing (${ids[0]})`,
      'mongo: 1 extra',
      'cache: 1 extra',
    ]);
  });

  it('reports an invalid request that was stored, a failure never published and redeliveries', async () => {
    const stray = invalid[0]!.requestId;
    const stores: Stores = { ...complete, postgres: [...ids, stray], vectors: ids, vectorCount: 3 };
    const result = await reconcile(
      readerOf(stores),
      { valid, invalid },
      { ...evidence, generatedKeys: [...ids, ids[1]!], failures: [] },
    );
    expect(result.stores.postgres.extra).toBe(1);
    expect(result.unreportedFailures).toEqual([stray]);
    expect(result.redelivered).toBe(1);
  });

  it('counts a request reported failed although it was valid as lost', async () => {
    const result = await reconcile(
      readerOf(complete),
      { valid, invalid },
      { ...evidence, failures: [...evidence.failures, { requestId: ids[2]!, reasonCode: 'TIMEOUT' }] },
    );
    expect(result.validReportedFailed).toEqual([ids[2]]);
    expect(result.lost).toBe(1);
  });
});
