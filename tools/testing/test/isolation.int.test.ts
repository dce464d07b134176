import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serverEnv, testKafka, testPostgres, testRedis } from '@genstream/testing';

describe('test isolation: every test gets its own slice and leaves nothing behind', () => {
  it('deletes the topics a test created', async () => {
    let topic: string | undefined;
    await using observer = await testKafka('observer');
    {
      await using kafka = await testKafka('owner');
      topic = await kafka.createTopic('ephemeral');
      expect(await observer.admin.listTopics()).toContain(topic);
    }
    expect(topic).toBeDefined();
    expect(await observer.admin.listTopics()).not.toContain(topic);
  });

  it('drops the database a test created', async () => {
    let database: string | undefined;
    {
      await using postgres = await testPostgres('ephemeral');
      database = new URL(postgres.url).pathname.slice(1);
    }
    const client = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    await client.end();
    expect(database).toBeDefined();
    expect(rowCount).toBe(0);
  });

  it('deletes only its own Redis keys', async () => {
    await using neighbour = await testRedis('neighbour');
    await neighbour.redis.set(neighbour.key('kept'), '1');
    let prefix: string | undefined;
    {
      await using redis = await testRedis('ephemeral');
      await redis.redis.mset(redis.key('a'), '1', redis.key('b'), '2');
      expect(await redis.redis.exists(redis.key('a'), redis.key('b'))).toBe(2);
      prefix = redis.prefix;
    }
    expect(prefix).toBeDefined();
    expect(await neighbour.redis.keys(`${prefix}*`)).toEqual([]);
    expect(await neighbour.redis.get(neighbour.key('kept'))).toBe('1');
  });
});
