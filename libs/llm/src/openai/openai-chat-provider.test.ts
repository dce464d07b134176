import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetryEvent } from '../http/json-post-client.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../testing/fake-openai-server.js';
import { OpenAiChatProvider, type OpenAiChatProviderOptions } from './openai-chat-provider.js';

// The client against an in-process fake endpoint: retries, timeouts, error mapping and the
// concurrency limit as the server sees them.

const API_KEY = 'sk-test-4f8a0c1d9e';
const FAST_RETRIES = { backoffBaseMs: 5, backoffMaxMs: 20 };

describe('OpenAiChatProvider', () => {
  let server: FakeOpenAiServer;
  let provider: (options?: Partial<OpenAiChatProviderOptions>) => OpenAiChatProvider;

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    provider = (options = {}) =>
      new OpenAiChatProvider({ baseUrl: `${server.url}/`, apiKey: API_KEY, ...FAST_RETRIES, ...options });
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.delayMs = 0;
    server.maxInFlight = 0;
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
  });

  it('posts the system prompt, the user prompt and the parameters that are set', async () => {
    const result = await provider().generate({
      model: 'gpt-4o-mini',
      prompt: 'Summarize Kafka in one line.',
      parameters: { systemPrompt: 'You are terse.', temperature: 0.2, maxTokens: 64, topP: null },
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Summarize Kafka in one line.' },
      ],
      temperature: 0.2,
      max_tokens: 64,
    });
    expect(result).toEqual({
      output: 'echo: Summarize Kafka in one line.',
      modelUsed: 'gpt-4o-mini-2025-01-01',
      usage: { promptTokens: 5, completionTokens: 6 },
    });
  });

  it('sends only the user message without parameters or key, and maps model names', async () => {
    const mapped = provider({ apiKey: undefined, models: { fast: 'llama3.2:1b' }, defaultModel: 'qwen2.5' });
    await mapped.generate({ model: 'fast', prompt: 'hi', parameters: null });
    await mapped.generate({
      model: 'other',
      prompt: 'hi',
      parameters: { temperature: null, systemPrompt: '' },
    });
    expect(server.requests.map((request) => request.body)).toEqual([
      { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] },
      { model: 'qwen2.5', messages: [{ role: 'user', content: 'hi' }] },
    ]);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('retries 5xx, 429 and 409 answers with backoff, then succeeds', async () => {
    const retries: RetryEvent[] = [];
    server.answerNext({ status: 503 }, { status: 429 }, { status: 409 });
    const result = await provider({ maxRetries: 3, onRetry: (event) => retries.push(event) }).generate({
      model: 'm',
      prompt: 'again',
    });
    expect(result.output).toBe('echo: again');
    expect(server.requests).toHaveLength(4);
    expect(retries.map(({ attempt, status }) => [attempt, status])).toEqual([
      [1, 503],
      [2, 429],
      [3, 409],
    ]);
    expect(retries.every((event) => event.delayMs >= 0 && event.delayMs < 20)).toBe(true);
  });

  it('waits as long as Retry-After asks', async () => {
    const retries: RetryEvent[] = [];
    server.answerNext({ status: 429, headers: { 'retry-after': '1' } });
    const started = performance.now();
    await provider({ onRetry: (event) => retries.push(event) }).generate({ model: 'm', prompt: 'slow down' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(retries).toMatchObject([{ attempt: 1, status: 429, delayMs: 1_000 }]);
  });

  it('gives up at once, retriably, when Retry-After asks for longer than it will wait', async () => {
    server.answerNext({ status: 503, headers: { 'retry-after': '120' } });
    await expect(provider().generate({ model: 'm', prompt: 'p' })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retriable: true,
      details: { status: 503, attempts: 1, retryAfterMs: 120_000 },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('turns spent retries into a retriable ProviderUnavailableError', async () => {
    server.answerNext(
      { status: 500, body: { error: { message: 'The server had an error' } } },
      { status: 502, body: 'Bad Gateway' },
    );
    await expect(provider({ maxRetries: 1 }).generate({ model: 'm', prompt: 'p' })).rejects.toMatchObject({
      name: 'ProviderUnavailableError',
      retriable: true,
      message: `openai chat completions POST ${server.url}/chat/completions failed: answered 502: Bad Gateway (2 attempts)`,
    });
  });

  it('times out each attempt and ends with a retriable DependencyTimeoutError', async () => {
    server.hangNext(2);
    await expect(
      provider({ timeoutMs: 50, maxRetries: 1 }).generate({ model: 'm', prompt: 'p' }),
    ).rejects.toMatchObject({
      code: 'DEPENDENCY_TIMEOUT',
      retriable: true,
      message: `openai chat completions POST ${server.url}/chat/completions failed: no answer within 50 ms (2 attempts)`,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 401 and keeps the API key out of the error, even when the body echoes it', async () => {
    server.answerNext({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${API_KEY}`, code: 'invalid_api_key' } },
    });
    const error: unknown = await provider()
      .generate({ model: 'm', prompt: 'p' })
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'PROVIDER_REJECTED', retriable: false, details: { status: 401 } });
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect((error as Error).message).toContain('Incorrect API key provided: [redacted]');
    expect(server.requests).toHaveLength(1);
  });

  it('does not show the API key when the provider is logged', () => {
    const logged = provider({ models: { toString: 'not-a-prototype-lookup' } });
    expect(inspect(logged, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(logged)).not.toContain(API_KEY);
    expect(logged.upstreamModel('toString')).toBe('not-a-prototype-lookup');
    expect(logged.upstreamModel('constructor')).toBe('constructor');
  });

  it('rejects 400, 404 and 422 answers without retrying', async () => {
    for (const status of [400, 404, 422]) {
      server.answerNext({ status, body: { error: { message: `injected ${status}` } } });
      await expect(provider().generate({ model: 'm', prompt: 'p' })).rejects.toMatchObject({
        code: 'PROVIDER_REJECTED',
        details: { status },
      });
    }
    expect(server.requests).toHaveLength(3);
  });

  it('rejects a successful answer that has no message content', async () => {
    server.answerNext({
      status: 200,
      body: { choices: [{ message: { content: null, refusal: 'I cannot.' } }] },
    });
    await expect(provider().generate({ model: 'm', prompt: 'p' })).rejects.toMatchObject({
      code: 'PROVIDER_REJECTED',
      message: expect.stringContaining('without message content: refused: I cannot.') as unknown,
    });
    server.answerNext({ status: 200, body: '<html>not json</html>' });
    await expect(provider().generate({ model: 'm', prompt: 'p' })).rejects.toMatchObject({
      code: 'PROVIDER_REJECTED',
    });
  });

  it('reports an unreachable endpoint as retriable', async () => {
    const closed = await startFakeOpenAiServer();
    await closed[Symbol.asyncDispose]();
    const unreachable = new OpenAiChatProvider({ baseUrl: closed.url, maxRetries: 1, ...FAST_RETRIES });
    await expect(unreachable.generate({ model: 'm', prompt: 'p' })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining('ECONNREFUSED') as unknown,
    });
  });

  it('never has more than maxConcurrent calls at the server', async () => {
    server.delayMs = 30;
    const limited = provider({ maxConcurrent: 3 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => limited.generate({ model: 'm', prompt: `n${i}` })),
    );
    expect(results.map((result) => result.output)).toEqual(
      Array.from({ length: 10 }, (_, i) => `echo: n${i}`),
    );
    expect(server.maxInFlight).toBe(3);
  });

  it('stops when the caller aborts, with the caller’s reason', async () => {
    server.hangNext();
    const controller = new AbortController();
    const call = provider().generate({ model: 'm', prompt: 'p', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(call).rejects.toThrow('shutting down');
    expect(server.requests).toHaveLength(1);
  });
});
