import { contentIdOf } from '@genstream/events';
import { ResponseCacheRepository } from '@genstream/cache';
import type { ContentGenerated, GenerationFailed } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingModel } from './support/counting-model.js';
import { startGeneration, type GenerationApp } from './support/generation-app.js';

// One service for the whole file, on its own topics: the tests run in order and count the events
// published so far on each topic.
describe('consumer round trip (real Kafka and Redis)', () => {
  const model = new CountingModel(50);
  let app: GenerationApp;
  let generatedSoFar = 0;
  const nextGenerated = async (count = 1): Promise<ContentGenerated[]> => {
    generatedSoFar += count;
    return (await app.topics.read('ContentGenerated', generatedSoFar)).slice(generatedSoFar - count);
  };

  beforeAll(async () => {
    app = await startGeneration('gen_consume', { model });
  });
  afterAll(async () => {
    await app?.[Symbol.asyncDispose]();
  });

  const request = aGenerationRequested({
    prompt:
      'Write a short note about tide pools. Tide pools hold starfish, anemones and small crabs. ' +
      'Visit them at low tide and step only on bare rock.',
  });
  let first: ContentGenerated;

  it('answers a GenerationRequested with a ContentGenerated whose contentId is uuidv5 of the request id', async () => {
    await app.topics.publish('GenerationRequested', [request]);
    [first] = (await nextGenerated()) as [ContentGenerated];

    expect(first).toEqual({
      ...request,
      contentId: contentIdOf(request.requestId),
      modelUsed: 'local-extractive-v1',
      output: expect.any(String) as unknown,
      cacheHit: 'NONE',
      generatedAt: expect.any(Number) as unknown,
      latencyMs: expect.any(Number) as unknown,
      usage: { promptTokens: expect.any(Number) as unknown, completionTokens: expect.any(Number) as unknown },
    });
    expect(first.output.length).toBeGreaterThan(0);
    expect(first.latencyMs).toBeGreaterThanOrEqual(50);
    expect(model.calls).toHaveLength(1);
  });

  it('republishes the very same event when the same request comes again, without a model call', async () => {
    // A redelivery or a producer retry: within the flight result's TTL (120 s) the service answers
    // from it. The cache-updater is not running here, so the response cache itself stays empty.
    await app.topics.publish('GenerationRequested', [request]);
    const [again] = await nextGenerated();

    expect(again).toEqual(first);
    expect(model.calls).toHaveLength(1);
  });

  it('answers an identical request with another id as an EXACT hit with its own contentId', async () => {
    const twin = aGenerationRequested({ prompt: request.prompt, title: 'Tide pools again' });
    await app.topics.publish('GenerationRequested', [twin]);
    const [hit] = await nextGenerated();

    expect(hit).toMatchObject({
      requestId: twin.requestId,
      contentId: contentIdOf(twin.requestId),
      title: 'Tide pools again',
      output: first.output,
      modelUsed: first.modelUsed,
      cacheHit: 'EXACT',
    });
    expect(hit!.generatedAt).toBeGreaterThanOrEqual(first.generatedAt);
    expect(model.calls).toHaveLength(1);
  });

  it('turns an invalid request into GenerationFailed CONTRACT_VIOLATION, not a dead letter', async () => {
    const invalid = aGenerationRequested({ prompt: ' ', model: 'gpt-404' });
    const valid = aGenerationRequested({ prompt: 'A second, different prompt about lighthouses.' });
    await app.topics.publish('GenerationRequested', [invalid, valid]);

    const [failed] = await app.topics.read('GenerationFailed', 1);
    expect(failed).toMatchObject({
      requestId: invalid.requestId,
      reasonCode: 'CONTRACT_VIOLATION',
      retriable: false,
      service: 'generation',
      model: 'gpt-404',
    } satisfies Partial<GenerationFailed>);
    expect(failed!.message).toContain('prompt must not be empty');
    const [answered] = await nextGenerated();
    expect(answered).toMatchObject({ requestId: valid.requestId, cacheHit: 'NONE' });
    expect(model.calls).toHaveLength(2);
  });

  it('POST /v1/generations → ContentGenerated; GET shows done once the cache-updater wrote the status', async () => {
    const posted = await app.service.request('/v1/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'trace-77' },
      body: JSON.stringify({
        userId: 9,
        title: 'Owls',
        prompt: 'Tell me about owls at night.',
        model: 'local',
      }),
    });
    expect(posted.status).toBe(202);
    const { requestId } = posted.body as { requestId: string };
    const [content] = await nextGenerated();
    expect(content).toMatchObject({
      requestId,
      contentId: contentIdOf(requestId),
      correlationId: 'trace-77',
      source: 'http-api',
    });

    // What the cache-updater does with that event (it is not running in this test).
    await new ResponseCacheRepository(app.redis.redis, { keyPrefix: app.redis.prefix }).writeGenerated(
      [content!],
      {
        ttlSeconds: 3_600,
        summaryTtlSeconds: 60,
        statusTtlSeconds: 60,
      },
    );
    expect(await app.service.request(`/v1/generations/${requestId}`)).toEqual({
      status: 200,
      body: {
        requestId,
        state: 'done',
        contentId: contentIdOf(requestId),
        output: content!.output,
        modelUsed: content!.modelUsed,
        cacheHit: 'NONE',
        generatedAt: content!.generatedAt,
      },
    });
  });

  it('counts model calls, cache hits and latency on /metrics', async () => {
    const metrics = await (await fetch(`${app.service.url}/metrics`)).text();
    expect(metrics).toContain('genstream_generation_model_calls_total{model="local",outcome="ok"} 3');
    expect(metrics).toMatch(/genstream_generation_cache_hits_total\{source="flight"\} 2/);
    expect(metrics).toContain('genstream_generation_cache_misses_total 3');
    expect(metrics).toContain('genstream_generation_latency_seconds_count{cache_hit="NONE"}');
  });
});
