import { contentIdOf } from '@genstream/events';
import { ResponseCacheRepository } from '@genstream/cache';
import type { ContentGenerated, GenerationRequested } from '@genstream/events';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { silentLogger } from '@genstream/kafka';
import { serverEnv, testRedis, type TestRedis } from '@genstream/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { AnswerLookupRepository } from '../src/repositories/answer-lookup.repository.js';
import { generationKeys } from '../src/repositories/flight-keys.js';
import { FlightRepository } from '../src/repositories/flight.repository.js';
import { answerKeyOf, GenerationService } from '../src/services/generation.service.js';
import { DEFAULT_SINGLE_FLIGHT } from '../src/services/single-flight.js';
import { CountingMetrics, RecordingSink } from './support/in-memory-ports.js';
import { RequestValidator } from '../src/services/request-validator.js';
import { CountingModel } from './support/counting-model.js';

/** One generation instance as in production, with its own Redis connection, sharing the test's key prefix. */
async function anInstance(redis: TestRedis, model: CountingModel, lockTtlMs = 10_000) {
  const connection = new Redis(serverEnv().REDIS_URL, { maxRetriesPerRequest: 2 });
  const sink = new RecordingSink();
  const metrics = new CountingMetrics();
  const service = new GenerationService(
    {
      validator: new RequestValidator({ maxPromptChars: 20_000, knowsModel: (m) => model.knows(m) }),
      answers: new AnswerLookupRepository(connection, { keyPrefix: redis.prefix }),
      flights: new FlightRepository(connection, { keyPrefix: redis.prefix }),
      model,
      events: sink,
      metrics,
      logger: silentLogger,
    },
    { concurrency: 8, service: 'generation', singleFlight: { ...DEFAULT_SINGLE_FLIGHT, lockTtlMs } },
  );
  return {
    service,
    sink,
    metrics,
    connection,
    [Symbol.dispose]: () => connection.disconnect(),
  };
}

const generated = (sink: RecordingSink) => sink.eventsOf<ContentGenerated>('ContentGenerated');

describe('single flight across instances (real Redis)', () => {
  it('two instances given the same request at once call the model exactly once', async () => {
    await using redis = await testRedis('gen_flight');
    const model = new CountingModel(300);
    using a = await anInstance(redis, model);
    using b = await anInstance(redis, model);
    const request = aGenerationRequested({ prompt: `Describe a kettle made of glass (${redis.prefix}).` });

    const [fromA, fromB] = await Promise.all([a.service.process([request]), b.service.process([request])]);

    expect(model.calls).toHaveLength(1);
    // The same request both times (a redelivery after a rebalance): the same event from both.
    expect(fromA[0]).toEqual(fromB[0]);
    expect(fromA[0]).toMatchObject({
      kind: 'generated',
      event: { requestId: request.requestId, contentId: contentIdOf(request.requestId), cacheHit: 'NONE' },
    });
    expect(a.metrics.of('wait:cluster') + b.metrics.of('wait:cluster')).toBe(1);
    // The lock is gone, the result stays for a while.
    const keys = generationKeys(redis.prefix);
    const { flightId } = answerKeyOf(request);
    expect(await redis.redis.exists(keys.lock(flightId))).toBe(0);
    expect(await redis.redis.pttl(keys.flight(flightId))).toBeGreaterThan(100_000);
  });

  it('identical requests with different ids on two instances: one model call, the other is an EXACT hit', async () => {
    await using redis = await testRedis('gen_flight_exact');
    const model = new CountingModel(300);
    using a = await anInstance(redis, model);
    using b = await anInstance(redis, model);
    const prompt = `Describe a chair made of cork (${redis.prefix}).`;
    const first = aGenerationRequested({ prompt });
    const second = aGenerationRequested({ prompt, title: 'same answer, another request' });

    await Promise.all([a.service.process([first]), b.service.process([second])]);

    expect(model.calls).toHaveLength(1);
    const events = [...generated(a.sink), ...generated(b.sink)];
    expect(events.map((event) => event.cacheHit).sort()).toEqual(['EXACT', 'NONE']);
    expect(events[0]!.output).toBe(events[1]!.output);
    expect(new Set(events.map((event) => event.contentId))).toEqual(
      new Set([contentIdOf(first.requestId), contentIdOf(second.requestId)]),
    );
  });

  it('many requests over many instances and batches: one model call per distinct answer', async () => {
    await using redis = await testRedis('gen_flight_many');
    const model = new CountingModel(200);
    const instances = await Promise.all([1, 2, 3].map(() => anInstance(redis, model)));
    try {
      const prompts = [1, 2, 3, 4].map((n) => `Prompt number ${n} for ${redis.prefix}`);
      const batches = instances.map(() =>
        prompts.flatMap((prompt) => [aGenerationRequested({ prompt }), aGenerationRequested({ prompt })]),
      );
      await Promise.all(instances.map((instance, i) => instance.service.process(batches[i]!)));

      expect(model.calls).toHaveLength(prompts.length);
      const events = instances.flatMap((instance) => generated(instance.sink));
      expect(events).toHaveLength(24);
      expect(events.filter((event) => event.cacheHit === 'NONE')).toHaveLength(prompts.length);
    } finally {
      for (const instance of instances) instance.connection.disconnect();
    }
  });

  it('a waiter takes over when the holder dies without a result (its lock expires)', async () => {
    await using redis = await testRedis('gen_flight_takeover');
    const model = new CountingModel(0);
    using waiter = await anInstance(redis, model, 500);
    const request = aGenerationRequested({ prompt: `Orphaned flight (${redis.prefix}).` });
    const { flightId } = answerKeyOf(request);
    // A holder that took the lock and died: nobody renews or releases it.
    await redis.redis.set(generationKeys(redis.prefix).lock(flightId), 'dead-holder', 'PX', 400);

    const started = Date.now();
    const [outcome] = await waiter.service.process([request]);

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(model.calls).toHaveLength(1);
    expect(outcome).toMatchObject({ kind: 'generated', event: { cacheHit: 'NONE' } });
  });

  it('answers from the response cache the cache-updater wrote, without a model call', async () => {
    await using redis = await testRedis('gen_cache_hit');
    const model = new CountingModel(0);
    using instance = await anInstance(redis, model);
    const earlier = aContentGenerated(
      { prompt: `Cached prompt (${redis.prefix})`, generatedAt: Date.now() - 1_000 },
      aGenerationRequested({ requestedAt: Date.now() - 2_000 }),
    );
    await new ResponseCacheRepository(redis.redis, { keyPrefix: redis.prefix }).writeGenerated([earlier], {
      ttlSeconds: 3_600,
      summaryTtlSeconds: 60,
      statusTtlSeconds: 60,
    });
    const request: GenerationRequested = aGenerationRequested({
      prompt: earlier.prompt,
      userId: earlier.userId,
      parameters: earlier.parameters,
      cacheScope: earlier.cacheScope,
      tenant: earlier.tenant,
    });

    await instance.service.process([request]);

    expect(model.calls).toHaveLength(0);
    expect(generated(instance.sink)).toEqual([
      expect.objectContaining({
        requestId: request.requestId,
        contentId: contentIdOf(request.requestId),
        output: earlier.output,
        modelUsed: earlier.modelUsed,
        cacheHit: 'EXACT',
      }),
    ]);
    expect(instance.metrics.of('hit:cache')).toBe(1);
  });
});

describe('FlightRepository (real Redis)', () => {
  it('claims, renews and releases only with its own token', async () => {
    await using redis = await testRedis('gen_flight_repo');
    const flights = new FlightRepository(redis.redis, { keyPrefix: redis.prefix });
    const lock = generationKeys(redis.prefix).lock('f1');

    expect(await flights.claim('f1', 'me', 5_000)).toEqual({ kind: 'acquired' });
    expect(await flights.claim('f1', 'other', 5_000)).toEqual({ kind: 'busy' });
    expect(await flights.renew('f1', 'other', 60_000)).toBe(false);
    expect(await flights.renew('f1', 'me', 60_000)).toBe(true);
    expect(await redis.redis.pttl(lock)).toBeGreaterThan(50_000);
    await flights.release('f1', 'other');
    expect(await redis.redis.get(lock)).toBe('me');
    await flights.release('f1', 'me');
    expect(await redis.redis.exists(lock)).toBe(0);
  });

  it('completes: stores the result, frees the lock, and later claims get the result', async () => {
    await using redis = await testRedis('gen_flight_complete');
    const flights = new FlightRepository(redis.redis, { keyPrefix: redis.prefix });
    const answer = {
      requestId: '0b5c8f0e-3f5a-4d8e-9a57-2f1f0c3b7d11',
      contentId: contentIdOf('0b5c8f0e-3f5a-4d8e-9a57-2f1f0c3b7d11'),
      output: 'out',
      modelUsed: 'local-extractive-v1',
      generatedAt: 123,
      usage: { promptTokens: 1, completionTokens: null },
      latencyMs: 7,
    };
    await flights.claim('f2', 'me', 5_000);
    await flights.complete('f2', 'me', answer, 1_000);

    expect(await redis.redis.exists(generationKeys(redis.prefix).lock('f2'))).toBe(0);
    expect(await flights.claim('f2', 'other', 5_000)).toEqual({ kind: 'answered', answer });
    const lookup = new AnswerLookupRepository(redis.redis, { keyPrefix: redis.prefix });
    expect(
      await lookup.lookupMany([
        { flightId: 'f2', cacheKey: 'none' },
        { flightId: 'f3', cacheKey: undefined },
      ]),
    ).toEqual([{ answer, source: 'flight' }, undefined]);
  });
});
