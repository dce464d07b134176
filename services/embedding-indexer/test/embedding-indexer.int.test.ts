import { loadConfig } from '@genstream/config';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import {
  checkOpenApi,
  eventually,
  startTestService,
  testApiKey,
  testTopics,
} from '@genstream/service-testing';
import { serverEnv, testRedis } from '@genstream/testing';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAME, configSchema } from '../src/config.js';
import { EmbeddingIndexerModule } from '../src/embedding-indexer.module.js';

const TOPICS_OF_CONTENT = [
  ['Espresso machine', 'A compact espresso machine with a steam wand for creamy milk foam and rich crema.'],
  ['Mountain bike', 'A full suspension mountain bike with hydraulic disc brakes for steep rocky trails.'],
  ['Garden hose', 'An expandable garden hose that shrinks back after watering the tomato beds.'],
  ['Violin lessons', 'Beginner violin lessons covering bow hold, scales and a first simple melody.'],
] as const;

describe('embedding-indexer (real Kafka, real Redis vector set)', () => {
  it('indexes content, publishes content.indexed, searches, and ignores redelivery', async () => {
    await using redis = await testRedis('ei_service');
    await using kafka = await testTopics('ei_service');
    const config = loadConfig(configSchema, {
      ...kafka.env,
      REDIS_URL: serverEnv().REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
      PORT: '0',
    });
    await using service = await startTestService({
      name: SERVICE_NAME,
      module: EmbeddingIndexerModule,
      config,
      apiKey: await testApiKey(redis, { tenant: 'acme' }),
    });

    const health = await service.request('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ healthy: true, checks: [{ name: 'redis', ok: true }] });

    const events = TOPICS_OF_CONTENT.map(([title, output], i) =>
      aContentGenerated(
        { output, modelUsed: 'local-echo-1' },
        aGenerationRequested({ title, userId: 1 + (i % 2) }),
      ),
    );
    await kafka.publish('ContentGenerated', events);
    const group = `${kafka.prefix}genstream.embedding-indexer`;
    await eventually(
      async () => (await kafka.committed(group, 'ContentGenerated')) === 4,
      'four offsets committed',
    );

    const vectorSet = `${redis.prefix}genstream:vs:content`;
    expect(await redis.redis.vcard(vectorSet)).toBe(4);
    const indexed = await kafka.read('ContentIndexed', 4);
    expect(indexed.map((event) => event.contentId).sort()).toEqual(
      events.map((event) => event.contentId).sort(),
    );
    const first = indexed.find((event) => event.contentId === events[0]!.contentId)!;
    expect(first).toMatchObject({
      requestId: events[0]!.requestId,
      userId: events[0]!.userId,
      vectorSet,
      dimension: 256,
      embeddingModel: 'local-hashed-v1',
      tenant: events[0]!.tenant,
      correlationId: events[0]!.correlationId,
    });
    expect(first.indexedAt).toBeGreaterThan(Date.now() - 60_000);

    const openapi = await checkOpenApi(service);
    expect(openapi).toMatchObject({ version: '3.1', errors: undefined, undocumented: [] });
    expect(openapi.served).toContain('GET /v1/search');

    const search = await service.request(`/v1/search?q=${encodeURIComponent('mountain bike trails')}&k=2`);
    expect(search.status).toBe(200);
    const answer = search.body as { query: string; results: Record<string, unknown>[] };
    expect(answer.query).toBe('mountain bike trails');
    expect(answer.results).toHaveLength(2);
    expect(answer.results[0]).toEqual({
      contentId: events[1]!.contentId,
      score: expect.any(Number) as unknown,
      title: 'Mountain bike',
      output: events[1]!.output,
      userId: 2,
      model: 'local-echo-1',
      generatedAt: events[1]!.generatedAt,
    });
    const forUser1 = await service.request(
      `/v1/search?q=${encodeURIComponent('mountain bike trails')}&userId=1`,
    );
    const user1Results = (forUser1.body as { results: { userId: number }[] }).results;
    expect(user1Results).toHaveLength(2);
    expect(user1Results.every((result) => result.userId === 1)).toBe(true);
    expect((await service.request('/v1/search?q=!!!')).body).toEqual({ query: '!!!', results: [] });
    // Another tenant's credential sees none of acme's content; no credential gets a 401.
    const globex = await testApiKey(redis, { tenant: 'globex', scopes: ['search'] });
    const asGlobex = await service.request(`/v1/search?q=${encodeURIComponent('mountain bike trails')}`, {
      headers: { authorization: `Bearer ${globex}` },
    });
    expect(asGlobex).toEqual({ status: 200, body: { query: 'mountain bike trails', results: [] } });
    const anonymous = await fetch(`${service.url}/v1/search?q=bike`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

    for (const [query, message] of [
      ['', 'q is required: the text to search for'],
      ['?q=bike&k=0', 'k must be an integer from 1 to 100'],
      ['?q=bike&k=101', 'k must be an integer from 1 to 100'],
      ['?q=bike&k=two', 'k must be an integer from 1 to 100'],
      ['?q=bike&userId=bob', 'userId must be an integer'],
      ['?q=bike&q=car', 'q must be given once, as plain text'],
    ] as const) {
      expect(await service.request(`/v1/search${query}`)).toEqual({
        status: 400,
        body: { error: { code: 'BAD_QUERY', message } },
      });
    }

    await kafka.publish('ContentGenerated', events);
    await eventually(
      async () => (await kafka.committed(group, 'ContentGenerated')) === 8,
      'redelivery committed',
    );
    expect(await redis.redis.vcard(vectorSet)).toBe(4);
  });
});
