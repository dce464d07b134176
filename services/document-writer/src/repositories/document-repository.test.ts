import { StoreUnavailableError } from '@genstream/errors';
import { aContentGenerated } from '@genstream/events/testing';
import { MongoBulkWriteError, MongoNetworkError, type MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DocumentRepository } from './document-repository.js';

/** A repository whose collection's insertMany fails with `error`: what the driver throws, no server. */
function repositoryFailingWith(error: Error): DocumentRepository {
  const collection = { insertMany: () => Promise.reject(error) };
  const client = { db: () => ({ collection: () => collection }) } as unknown as MongoClient;
  return new DocumentRepository(client);
}

describe('DocumentRepository.saveBatch when the driver fails', () => {
  it('retries a batch the server never took (a bulk error without per-document errors)', async () => {
    // What driver 7 throws when the server goes away mid-batch: the network error, wrapped.
    const wrapped = new MongoBulkWriteError(new MongoNetworkError('connection closed'), {
      insertedCount: 0,
    } as never);
    const saving = repositoryFailingWith(wrapped).saveBatch([aContentGenerated(), aContentGenerated()]);
    await expect(saving).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('counts a duplicate _id as already written', async () => {
    const duplicate = new MongoBulkWriteError(
      { message: 'E11000', code: 11000, writeErrors: [{ code: 11000, index: 0, errmsg: 'dup' }] } as never,
      { insertedCount: 1 } as never,
    );
    const result = await repositoryFailingWith(duplicate).saveBatch([
      aContentGenerated(),
      aContentGenerated(),
    ]);
    expect(result).toMatchObject({ duplicates: 1, failed: [] });
  });
});
