import { Redis } from 'ioredis';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import pg from 'pg';
import { inject } from 'vitest';
import { deleteKeysWithPrefix } from './redis-keys.js';
import { uniqueName } from './names.js';
import type { ServerEnv } from './provision.js';

/**
 * Per-test slices of the shared servers. Each is released with `await using`, which deletes what
 * the test created: its topics, its database, its keys.
 */
export function serverEnv(): ServerEnv {
  return inject('genstreamServers');
}

export interface TestKafka extends AsyncDisposable {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Creates a topic of its own for this test, deleted on release. */
  createTopic(label: string, partitions?: number): Promise<string>;
  /** A consumer group id no other test uses. */
  groupId(label: string): string;
}

export async function testKafka(label = 'kafka'): Promise<TestKafka> {
  const kafka = new Kafka({
    clientId: uniqueName(label),
    brokers: serverEnv().KAFKA_BROKERS.split(','),
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topics: string[] = [];
  return {
    kafka,
    admin,
    async createTopic(topicLabel, partitions = 1) {
      const topic = uniqueName(topicLabel);
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
      topics.push(topic);
      return topic;
    },
    groupId: (groupLabel) => uniqueName(groupLabel),
    async [Symbol.asyncDispose]() {
      if (topics.length > 0) await admin.deleteTopics({ topics });
      await admin.disconnect();
    },
  };
}

export interface TestPostgres extends AsyncDisposable {
  /** A database of its own, dropped on release. */
  readonly url: string;
  readonly pool: pg.Pool;
}

export async function testPostgres(label = 'pg'): Promise<TestPostgres> {
  const serverUrl = serverEnv().DATABASE_URL;
  const database = uniqueName(label);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = withDatabase(serverUrl, database);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // DROP ... WITH (FORCE) below ends connections pool.end() has not finished closing; the pool
  // reports those as errors, which after release mean nothing.
  let released = false;
  pool.on('error', (error) => {
    if (!released) throw error;
  });
  return {
    url,
    pool,
    async [Symbol.asyncDispose]() {
      released = true;
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface TestMongo extends AsyncDisposable {
  readonly client: MongoClient;
  /** A database of its own, dropped on release. */
  readonly db: Db;
}

export async function testMongo(label = 'mongo'): Promise<TestMongo> {
  const client = new MongoClient(serverEnv().MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(uniqueName(label));
  return {
    client,
    db,
    async [Symbol.asyncDispose]() {
      await db.dropDatabase();
      await client.close();
    },
  };
}

export interface TestRedis extends AsyncDisposable {
  readonly redis: Redis;
  /** Every key this test writes starts with this prefix; all of them are deleted on release. */
  readonly prefix: string;
  key(name: string): string;
}

export async function testRedis(label = 'redis'): Promise<TestRedis> {
  const redis = new Redis(serverEnv().REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const prefix = `${uniqueName(label)}:`;
  return {
    redis,
    prefix,
    key: (name) => `${prefix}${name}`,
    async [Symbol.asyncDispose]() {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

export interface TestRegistry extends AsyncDisposable {
  /** Base URL of the registry's Confluent-compatible API (SCHEMA_REGISTRY_URL). */
  readonly url: string;
  /** A subject no other test uses (`<unique name>-value`, as for a topic's values); deleted on release. */
  subject(label: string): string;
  /** Deletes this subject too on release, e.g. one that code under test registered for its topic. */
  track(subject: string): string;
}

export async function testRegistry(): Promise<TestRegistry> {
  const url = serverEnv().SCHEMA_REGISTRY_URL.replace(/\/+$/, '');
  const subjects = new Set<string>();
  const track = (subject: string) => (subjects.add(subject), subject);
  return {
    url,
    subject: (label) => track(`${uniqueName(label)}-value`),
    track,
    async [Symbol.asyncDispose]() {
      for (const subject of subjects) {
        // A Confluent registry only forgets a subject for good after a soft delete then a permanent one.
        for (const query of ['', '?permanent=true']) {
          const response = await fetch(`${url}/subjects/${encodeURIComponent(subject)}${query}`, {
            method: 'DELETE',
          });
          if (!response.ok && response.status !== 404) {
            throw new Error(`deleting subject ${subject}: ${response.status} ${await response.text()}`);
          }
          await response.body?.cancel();
        }
      }
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
