// Where each writer under test writes: a store of its own (PostgreSQL schema, MongoDB database,
// Redis key prefix, as the writers bench isolates them), given to the service through its own
// configuration, emptied before each drain, counted after it and removed at the end.
import { cacheKeys } from '@genstream/cache';
import { DocumentRepository } from '@genstream/document-writer';
import { DEFAULT_VECTOR_SET } from '@genstream/embedding-indexer';
import { scanKeys, deleteKeysWithPrefix } from '@genstream/testing/redis-keys';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { WriterService } from './results.js';

export interface WriterStore {
  readonly store: string;
  /** Variables the writer's instances are started with, on top of the servers' ones. */
  readonly env: Readonly<Record<string, string>>;
  /** Empties it (not timed). */
  reset(): Promise<void>;
  /** How many records it holds: one row, document, status key or vector per record. */
  count(): Promise<number>;
  remove(): Promise<void>;
}

export interface StoreUrls {
  readonly DATABASE_URL: string;
  readonly MONGO_URL: string;
  readonly REDIS_URL: string;
}

/** `isolation`: lower case, digits and underscores (a valid schema and database name). */
export async function openWriterStore(
  writer: WriterService,
  isolation: string,
  urls: StoreUrls,
): Promise<WriterStore> {
  switch (writer) {
    case 'metadata-writer':
      return postgresStore(isolation, urls.DATABASE_URL);
    case 'document-writer':
      return mongoStore(isolation, urls.MONGO_URL);
    case 'cache-updater':
      return redisStore(isolation, urls.REDIS_URL, 'Redis response cache', async (redis, prefix) => {
        let statuses = 0;
        for await (const keys of scanKeys(redis, cacheKeys(prefix).requestStatus('*')))
          statuses += keys.length;
        return statuses;
      });
    case 'embedding-indexer':
      return redisStore(isolation, urls.REDIS_URL, 'Redis vector set', async (redis, prefix) =>
        Number(await redis.call('VCARD', `${prefix}${DEFAULT_VECTOR_SET}`)),
      );
  }
}

/** The service migrates its own tables into the schema (search_path) when it starts. */
async function postgresStore(schema: string, url: string): Promise<WriterStore> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-scaling' });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store: 'PostgreSQL',
    env: { DATABASE_URL: withSchema.toString() },
    reset: async () => {
      const { rows } = await client.query<{ exists: boolean }>(
        `SELECT to_regclass('${schema}.ai_generated_content') IS NOT NULL AS exists`,
      );
      if (rows[0]?.exists)
        await client.query(
          `TRUNCATE ${schema}.ai_generated_content, ${schema}.users, ${schema}.models RESTART IDENTITY`,
        );
    },
    count: async () => {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.ai_generated_content`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    remove: async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * Dropped and created again with the service's indexes before each drain (the service's own
 * repository), so that instances starting together find them there: FerretDB closed the connection
 * of one of three instances creating them at once.
 */
async function mongoStore(databaseName: string, url: string): Promise<WriterStore> {
  const client = new MongoClient(url, { appName: 'bench-scaling', serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const database = client.db(databaseName);
  const repository = new DocumentRepository(client, { databaseName });
  return {
    store: 'MongoDB wire (FerretDB)',
    env: { MONGO_DATABASE: databaseName },
    reset: async () => {
      await database
        .collection('aiGenerated')
        .drop()
        .catch(() => false);
      await repository.ensureIndexes();
    },
    count: () => database.collection('aiGenerated').countDocuments({}),
    remove: async () => {
      await database.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

async function redisStore(
  isolation: string,
  url: string,
  store: string,
  count: (redis: Redis, prefix: string) => Promise<number>,
): Promise<WriterStore> {
  const redis = new Redis(url, { lazyConnect: true, connectionName: 'bench-scaling' });
  await redis.connect();
  const prefix = `${isolation}:`;
  return {
    store,
    env: { REDIS_KEY_PREFIX: prefix },
    reset: () => deleteKeysWithPrefix(redis, prefix),
    count: () => count(redis, prefix),
    remove: async () => {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
