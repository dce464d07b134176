import { StoreUnavailableError } from '@genstream/errors';
import type { ContentGenerated } from '@genstream/events';
import { aContentGenerated } from '@genstream/events/testing';
import { testMongo, type TestMongo } from '@genstream/testing';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DocumentRepository } from '../src/index.js';

function repositoryFor(mongo: TestMongo): DocumentRepository {
  return new DocumentRepository(mongo.client, { databaseName: mongo.db.databaseName });
}

const collectionOf = (mongo: TestMongo) => mongo.db.collection('aiGenerated');

describe('DocumentRepository', () => {
  it('creates its indexes, and creating them again changes nothing', async () => {
    await using mongo = await testMongo('documents_indexes');
    const repository = repositoryFor(mongo);
    expect(await repository.ensureIndexes()).toEqual(['userId_1_generatedAt_-1', 'requestId_1']);
    expect(await repository.ensureIndexes()).toEqual([]);
    await collectionOf(mongo).dropIndex('requestId_1');
    expect(await repository.ensureIndexes()).toEqual(['requestId_1']);
    const indexes = await collectionOf(mongo).indexes();
    expect(indexes.map((index) => [index.name, index.key])).toEqual(
      expect.arrayContaining([
        ['userId_1_generatedAt_-1', { userId: 1, generatedAt: -1 }],
        ['requestId_1', { requestId: 1 }],
      ]),
    );
  });

  it('writes one document per event with the contract fields and the full payload', async () => {
    await using mongo = await testMongo('documents_write');
    const extra = {
      ...aContentGenerated(),
      sentiment: { label: 'positive', score: 0.5 },
    } as ContentGenerated;
    const batch = [aContentGenerated(), aContentGenerated({ cacheHit: 'EXACT', tenant: null }), extra];

    expect(await repositoryFor(mongo).saveBatch(batch)).toEqual({ inserted: 3, duplicates: 0, failed: [] });

    for (const event of batch) {
      const document = await collectionOf(mongo).findOne({ _id: event.contentId as never });
      const { contentId: _contentId, output, generatedAt, requestedAt, ...rest } = event;
      expect(document).toEqual({
        _id: event.contentId,
        summary: output,
        generatedAt: new Date(generatedAt),
        requestedAt: new Date(requestedAt),
        ...rest,
      });
    }
    expect(await collectionOf(mongo).findOne({ _id: extra.contentId as never })).toMatchObject({
      sentiment: { label: 'positive', score: 0.5 },
    });
  });

  it('writes nothing the second time: the same batch again is all duplicates', async () => {
    await using mongo = await testMongo('documents_replay');
    const repository = repositoryFor(mongo);
    const batch = Array.from({ length: 25 }, (_, i) => aContentGenerated({ title: `title ${i}` }));

    expect(await repository.saveBatch(batch)).toEqual({ inserted: 25, duplicates: 0, failed: [] });
    expect(await repository.saveBatch(batch)).toEqual({ inserted: 0, duplicates: 25, failed: [] });
    expect(await collectionOf(mongo).countDocuments()).toBe(25);
  });

  it('inserts only the new records of a mixed batch, and counts repeats within a batch', async () => {
    await using mongo = await testMongo('documents_mixed');
    const repository = repositoryFor(mongo);
    const written = [aContentGenerated(), aContentGenerated()];
    await repository.saveBatch(written);

    const fresh = [aContentGenerated(), aContentGenerated()];
    const batch = [fresh[0]!, written[0]!, fresh[1]!, fresh[0]!, written[1]!];
    expect(await repository.saveBatch(batch)).toEqual({ inserted: 2, duplicates: 3, failed: [] });
    expect(await collectionOf(mongo).countDocuments()).toBe(4);
    expect(await repository.saveBatch([])).toEqual({ inserted: 0, duplicates: 0, failed: [] });
  });

  it('reports a document that can never be written and writes the rest of the batch', async () => {
    await using mongo = await testMongo('documents_refused');
    const huge = aContentGenerated({ output: 'x'.repeat(17 * 1024 * 1024) });
    const fine = [aContentGenerated(), aContentGenerated()];

    const result = await repositoryFor(mongo).saveBatch([fine[0]!, huge, fine[1]!]);

    expect(result).toMatchObject({ inserted: 2, duplicates: 0 });
    expect(result.failed).toEqual([
      { contentId: huge.contentId, error: expect.objectContaining({ retriable: false }) as unknown },
    ]);
    expect(result.failed[0]!.error.message).toContain(huge.contentId);
    expect(await collectionOf(mongo).countDocuments()).toBe(2);
  });

  it('says the store is unavailable (retriable) when the server cannot be reached', async () => {
    const client = new MongoClient('mongodb://127.0.0.1:1/', { serverSelectionTimeoutMS: 300 });
    try {
      const repository = new DocumentRepository(client);
      await expect(repository.saveBatch([aContentGenerated()])).rejects.toThrow(StoreUnavailableError);
      await expect(repository.ensureIndexes()).rejects.toThrow(StoreUnavailableError);
    } finally {
      await client.close();
    }
  });
});
