import { contentIdOf } from '@genstream/events';
import { ProviderRejectedError, ProviderUnavailableError, StoreUnavailableError } from '@genstream/errors';
import type { ContentGenerated, GenerationFailed, GenerationRequested } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { silentLogger } from '@genstream/kafka';
import { describe, expect, it } from 'vitest';
import {
  CountingMetrics,
  FakeModel,
  InMemoryAnswerStore,
  RecordingSink,
} from '../../test/support/in-memory-ports.js';
import { RequestValidator } from './request-validator.js';
import { answerKeyOf, GenerationService } from './generation.service.js';
import { DEFAULT_SINGLE_FLIGHT } from './single-flight.js';

function setup(options: { latencyMs?: number; store?: InMemoryAnswerStore } = {}) {
  const store = options.store ?? new InMemoryAnswerStore();
  const model = new FakeModel(options.latencyMs ?? 0);
  const sink = new RecordingSink();
  const metrics = new CountingMetrics();
  const service = new GenerationService(
    {
      validator: new RequestValidator({ maxPromptChars: 1_000, knowsModel: (m) => model.knows(m) }),
      answers: store,
      flights: store,
      model,
      events: sink,
      metrics,
      logger: silentLogger,
    },
    {
      concurrency: 4,
      service: 'generation',
      singleFlight: { ...DEFAULT_SINGLE_FLIGHT, pollMinMs: 5, pollMaxMs: 20 },
    },
  );
  return { service, store, model, sink, metrics };
}

const request = (overrides: Partial<GenerationRequested> = {}) =>
  aGenerationRequested({ prompt: 'Describe a steel bottle.', ...overrides });

describe('GenerationService', () => {
  it('answers a cache hit from the cache without calling the model', async () => {
    const { service, store, model, sink, metrics } = setup();
    const hit = request();
    const earlier = request();
    store.cache.set(answerKeyOf(hit).cacheKey!, {
      requestId: earlier.requestId,
      contentId: contentIdOf(earlier.requestId),
      output: 'cached output',
      modelUsed: 'local-v0',
      generatedAt: 1_000,
      usage: { promptTokens: 1, completionTokens: 2 },
      latencyMs: null,
    });

    const outcomes = await service.process([hit]);

    expect(model.calls).toHaveLength(0);
    expect(store.lookups).toBe(1);
    expect(outcomes).toEqual([
      { kind: 'generated', event: expect.objectContaining({ cacheHit: 'EXACT' }) as unknown },
    ]);
    const [event] = sink.eventsOf<ContentGenerated>('ContentGenerated');
    expect(event).toMatchObject({
      requestId: hit.requestId,
      contentId: contentIdOf(hit.requestId),
      output: 'cached output',
      modelUsed: 'local-v0',
      cacheHit: 'EXACT',
      usage: { promptTokens: 1, completionTokens: 2 },
      title: hit.title,
      prompt: hit.prompt,
      userId: hit.userId,
      correlationId: hit.correlationId,
    });
    expect(event!.generatedAt).toBeGreaterThan(1_000);
    expect(metrics.of('hit:cache')).toBe(1);
  });

  it('calls the model once on a miss and publishes the answer with every request field', async () => {
    const { service, store, model, sink, metrics } = setup();
    const miss = request();

    await service.process([miss]);

    expect(model.calls).toEqual([{ model: 'local', prompt: miss.prompt, parameters: miss.parameters }]);
    expect(sink.calls.map((call) => call.name)).toEqual(['ContentGenerated']);
    const [event] = sink.eventsOf<ContentGenerated>('ContentGenerated');
    expect(event).toEqual({
      ...miss,
      contentId: contentIdOf(miss.requestId),
      modelUsed: 'local-v1',
      output: `answer to: ${miss.prompt}`,
      cacheHit: 'NONE',
      generatedAt: expect.any(Number) as unknown,
      latencyMs: expect.any(Number) as unknown,
      usage: { promptTokens: 3, completionTokens: 4 },
    });
    // The result stays for waiters and redeliveries; the lock is gone.
    expect(store.flights.get(answerKeyOf(miss).flightId)).toMatchObject({ requestId: miss.requestId });
    expect(store.locks.size).toBe(0);
    expect(metrics.of('miss')).toBe(1);
    expect(metrics.of('model:local:ok')).toBe(1);
  });

  it('calls the model once for identical requests of one batch; the others are EXACT hits', async () => {
    const { service, model, sink, metrics } = setup();
    const first = request();
    const second = request({ title: 'another title, same answer' });
    const other = request({ prompt: 'Something else.' });

    await service.process([first, second, other]);

    expect(model.calls.map((call) => call.prompt)).toEqual([first.prompt, other.prompt]);
    expect(sink.calls).toHaveLength(1);
    const events = sink.eventsOf<ContentGenerated>('ContentGenerated');
    expect(events.map((e) => [e.requestId, e.cacheHit, e.contentId])).toEqual([
      [first.requestId, 'NONE', contentIdOf(first.requestId)],
      [second.requestId, 'EXACT', contentIdOf(second.requestId)],
      [other.requestId, 'NONE', contentIdOf(other.requestId)],
    ]);
    expect(events[1]!.output).toBe(events[0]!.output);
    expect(events[1]!.title).toBe('another title, same answer');
    expect(metrics.of('hit:process')).toBe(1);
    expect(metrics.of('miss')).toBe(2);
  });

  it('shares one model call between concurrent batches of this process', async () => {
    const { service, model, sink, metrics } = setup({ latencyMs: 50 });
    await Promise.all([service.process([request()]), service.process([request()])]);
    expect(model.calls).toHaveLength(1);
    // The one call's duration, for genstream_generation_model_call_duration_seconds.
    expect(metrics.modelCallSeconds).toHaveLength(1);
    expect(metrics.modelCallSeconds[0]).toBeGreaterThanOrEqual(0.045);
    expect(metrics.modelCallSeconds[0]).toBeLessThan(5);
    expect(
      sink
        .eventsOf<ContentGenerated>('ContentGenerated')
        .map((e) => e.cacheHit)
        .sort(),
    ).toEqual(['EXACT', 'NONE']);
  });

  it('waits for a flight another instance holds, then answers with its result as an EXACT hit', async () => {
    const store = new InMemoryAnswerStore();
    const { service, model, sink, metrics } = setup({ store });
    const waiting = request();
    const { flightId } = answerKeyOf(waiting);
    const elsewhere = request();
    store.locks.set(flightId, { token: 'other-instance', expiresAt: Date.now() + 10_000 });
    setTimeout(() => {
      void store.complete(flightId, 'other-instance', {
        requestId: elsewhere.requestId,
        contentId: contentIdOf(elsewhere.requestId),
        output: 'from the other instance',
        modelUsed: 'local-v1',
        generatedAt: Date.now(),
        usage: { promptTokens: 3, completionTokens: 4 },
        latencyMs: 80,
      });
    }, 80);

    await service.process([waiting]);

    expect(model.calls).toHaveLength(0);
    expect(store.claims).toBeGreaterThan(1);
    expect(sink.eventsOf<ContentGenerated>('ContentGenerated')).toEqual([
      expect.objectContaining({ output: 'from the other instance', cacheHit: 'EXACT' }),
    ]);
    expect(metrics.of('wait:cluster')).toBe(1);
    expect(metrics.of('hit:flight')).toBe(1);
  });

  it('takes over when the holder lets its lock go without a result', async () => {
    const store = new InMemoryAnswerStore();
    const { service, model } = setup({ store });
    const waiting = request();
    const { flightId } = answerKeyOf(waiting);
    store.locks.set(flightId, { token: 'crashed', expiresAt: Date.now() + 60 });

    const [outcome] = await service.process([waiting]);

    expect(model.calls).toHaveLength(1);
    expect(outcome).toMatchObject({ kind: 'generated', event: { cacheHit: 'NONE' } });
  });

  it('republishes the same event for a redelivered request, without calling the model', async () => {
    const { service, model, sink } = setup();
    const original = request();
    await service.process([original]);
    await service.process([original]);

    expect(model.calls).toHaveLength(1);
    const [first, again] = sink.eventsOf<ContentGenerated>('ContentGenerated');
    expect(again).toEqual(first);
    expect(again!.cacheHit).toBe('NONE');
  });

  it('never shares BYPASS answers between requests, only with redeliveries of the same request', async () => {
    const { service, model, sink } = setup();
    const bypass = request({ cacheScope: 'BYPASS' });
    await service.process([bypass, request({ cacheScope: 'BYPASS' })]);
    await service.process([bypass]);

    expect(model.calls).toHaveLength(2);
    const events = sink.eventsOf<ContentGenerated>('ContentGenerated');
    expect(events.map((e) => e.cacheHit)).toEqual(['NONE', 'NONE', 'NONE']);
    expect(events[2]).toEqual(events[0]);
  });

  it('turns an invalid request into a GenerationFailed CONTRACT_VIOLATION, and goes on with the batch', async () => {
    const { service, model, sink } = setup();
    const invalid = request({ prompt: '  ', model: 'gpt-unknown' });
    const valid = request();

    const outcomes = await service.process([invalid, valid]);

    expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'generated']);
    expect(model.calls).toHaveLength(1);
    expect(sink.calls.map((call) => call.name).sort()).toEqual(['ContentGenerated', 'GenerationFailed']);
    expect(sink.eventsOf<GenerationFailed>('GenerationFailed')).toEqual([
      expect.objectContaining({
        requestId: invalid.requestId,
        userId: invalid.userId,
        reasonCode: 'CONTRACT_VIOLATION',
        message: 'invalid generation request: prompt must not be empty; model unknown model "gpt-unknown"',
        retriable: false,
        service: 'generation',
        prompt: invalid.prompt,
        model: 'gpt-unknown',
      }),
    ]);
  });

  it('reports a retriable provider error as a retry, still publishing the rest of the batch', async () => {
    const { service, model, sink, store, metrics } = setup();
    model.fail = (call) =>
      call.prompt === 'down' ? new ProviderUnavailableError('provider answered 503') : undefined;
    const failing = request({ prompt: 'down' });
    const fine = request();

    const outcomes = await service.process([failing, fine]);

    expect(outcomes[0]).toEqual({ kind: 'retry', error: expect.any(ProviderUnavailableError) as unknown });
    expect(outcomes[1]!.kind).toBe('generated');
    expect(sink.calls.map((call) => call.name)).toEqual(['ContentGenerated']);
    expect(sink.eventsOf<ContentGenerated>('ContentGenerated').map((e) => e.requestId)).toEqual([
      fine.requestId,
    ]);
    // The lock is released so another attempt (here or elsewhere) can generate at once.
    expect(store.locks.size).toBe(0);
    expect(metrics.of('model:local:retriable')).toBe(1);
  });

  it('turns a permanent provider error into a GenerationFailed event', async () => {
    const { service, model, sink } = setup();
    model.fail = () => new ProviderRejectedError('the provider refused: content policy');
    const rejected = request();

    const outcomes = await service.process([rejected]);

    expect(outcomes[0]!.kind).toBe('failed');
    expect(sink.eventsOf<GenerationFailed>('GenerationFailed')).toEqual([
      expect.objectContaining({
        requestId: rejected.requestId,
        reasonCode: 'PROVIDER_REJECTED',
        message: 'the provider refused: content policy',
        retriable: false,
      }),
    ]);
  });

  it('fails the whole batch, publishing nothing, when the lookup cannot reach the store', async () => {
    const store = new InMemoryAnswerStore();
    store.lookupMany = () => Promise.reject(new StoreUnavailableError('Redis down'));
    const { service, sink } = setup({ store });

    await expect(service.process([request()])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(sink.calls).toHaveLength(0);
  });

  it('stops waiting with a retriable error when the consumer shuts down', async () => {
    const store = new InMemoryAnswerStore();
    const { service, model } = setup({ store });
    const waiting = request();
    store.locks.set(answerKeyOf(waiting).flightId, { token: 'other', expiresAt: Date.now() + 10_000 });

    const [outcome] = await service.process([waiting], { isRunning: () => false });

    expect(outcome).toMatchObject({ kind: 'retry', error: { code: 'DEPENDENCY_TIMEOUT' } });
    expect(model.calls).toHaveLength(0);
  });
});
