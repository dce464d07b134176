// The writers that write PostgreSQL and MongoDB, each through its service's repository, in an
// isolated schema or database.
import { DocumentRepository } from '@genstream/document-writer';
import type { ContentGenerated } from '@genstream/events';
import { ContentRepository, migrate } from '@genstream/metadata-writer';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import type { WriterTarget } from './results.js';

export async function postgresTarget(
  events: readonly ContentGenerated[],
  schema: string,
  url: string,
): Promise<WriterTarget<ContentGenerated>> {
  const admin = new pg.Client({ connectionString: url, application_name: 'bench-writers' });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  // The service's own migrations, into the bench schema (search_path), so the tables and indexes
  // are exactly those the metadata-writer writes to.
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: 'bench-writers',
    options: `-c search_path=${schema}`,
  });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    throw error;
  }
  const repository = new ContentRepository(pool);
  return {
    name: 'postgres',
    service: 'metadata-writer',
    method: 'ContentRepository.saveBatch',
    store: 'PostgreSQL',
    roundTrip: (records) =>
      `1 transaction (BEGIN, users/models upsert, ${records === 1 ? 'single-row' : 'multi-row'} INSERT ... unnest, COMMIT) per ${records === 1 ? 'record' : `${records} records`}`,
    items: events,
    write: async (batch) => (await repository.saveBatch(batch)).inserted,
    reset: async () => {
      await pool.query('TRUNCATE ai_generated_content, users, models RESTART IDENTITY');
    },
    remove: async () => {
      await pool.end().catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export async function mongoTarget(
  events: readonly ContentGenerated[],
  databaseName: string,
  url: string,
): Promise<WriterTarget<ContentGenerated>> {
  const client = new MongoClient(url, { appName: 'bench-writers', serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const database = client.db(databaseName);
  const repository = new DocumentRepository(client, { databaseName });
  return {
    name: 'mongo',
    service: 'document-writer',
    method: 'DocumentRepository.saveBatch',
    store: 'MongoDB wire (FerretDB)',
    roundTrip: (records) =>
      records === 1 ? '1 insertMany of 1 document' : `1 unordered insertMany of ${records} documents`,
    items: events,
    write: async (batch) => {
      const result = await repository.saveBatch(batch);
      if (result.failed.length > 0) throw new Error(`mongo refused: ${result.failed[0]!.error.message}`);
      return result.inserted;
    },
    // A fresh collection with the service's indexes, as the document-writer creates it at start.
    reset: async () => {
      await database
        .collection('aiGenerated')
        .drop()
        .catch(() => false);
      await repository.ensureIndexes();
    },
    remove: async () => {
      await database.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}
