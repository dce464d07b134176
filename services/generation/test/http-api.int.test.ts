import { checkOpenApi } from '@genstream/service-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeneration, type GenerationApp } from './support/generation-app.js';

const valid = {
  userId: 42,
  title: 'Kettle',
  prompt: 'Describe a glass kettle in two sentences.',
  model: 'local',
};

describe('HTTP API (booted in-process, real Kafka and Redis)', () => {
  let app: GenerationApp;
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.service.request('/v1/generations', { method: 'POST', headers, body });

  beforeAll(async () => {
    app = await startGeneration('gen_http', { env: { MAX_PROMPT_CHARS: '2000' } });
  });
  afterAll(async () => {
    await app?.[Symbol.asyncDispose]();
  });

  it('accepts a valid request with 202, publishes it, and GET shows it accepted', async () => {
    const posted = await post(JSON.stringify(valid));
    expect(posted.status).toBe(202);
    const { requestId, status, statusUrl } = posted.body as {
      requestId: string;
      status: string;
      statusUrl: string;
    };
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(status).toBe('accepted');
    expect(statusUrl).toBe(`/v1/generations/${requestId}`);

    expect(await app.service.request(statusUrl)).toEqual({
      status: 200,
      body: { requestId, state: 'accepted' },
    });
    const [published] = await app.topics.read('GenerationRequested', 1);
    expect(published).toMatchObject({ ...valid, requestId, source: 'http-api', cacheScope: 'USER' });
  });

  it('keeps a client-given request id, so a retried POST names the same request', async () => {
    const requestId = '8d0b0c3e-6d0c-4f7a-9d6e-0c1f5d2b9a10';
    const first = await post(JSON.stringify({ ...valid, requestId: requestId.toUpperCase() }));
    const again = await post(JSON.stringify({ ...valid, requestId }));
    expect(first).toMatchObject({ status: 202, body: { requestId } });
    expect(again).toMatchObject({ status: 202, body: { requestId } });
    expect(await app.service.request(`/v1/generations/${requestId}`)).toMatchObject({
      status: 200,
      body: { state: 'accepted' },
    });
  });

  it('answers malformed JSON with 400 BAD_JSON', async () => {
    const response = await post('{"userId": 42, "title": ');
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'BAD_JSON' } } });
  });

  it('answers wrong types with 422 CONTRACT_VIOLATION listing every problem', async () => {
    const response = await post(
      JSON.stringify({ ...valid, userId: '42', title: 7, parameters: { temperature: 'warm' } }),
    );
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: 'CONTRACT_VIOLATION',
        message: expect.stringContaining('userId must be an integer') as unknown,
        details: {
          problems: [
            { path: 'parameters.temperature', message: 'must be a number or null' },
            { path: 'userId', message: 'must be an integer' },
            { path: 'title', message: 'must be a string' },
          ],
        },
      },
    });
  });

  it.each([
    ['an empty prompt', { prompt: '  ' }, 'prompt'],
    ['an unknown model', { model: 'gpt-404' }, 'model'],
    ['a prompt over MAX_PROMPT_CHARS', { prompt: 'x'.repeat(2001) }, 'prompt'],
    ['a negative user id', { userId: -1 }, 'userId'],
    ['a temperature of 3', { parameters: { temperature: 3 } }, 'parameters.temperature'],
    ['a request id that is not a UUID', { requestId: '42' }, 'requestId'],
  ])('refuses %s with 422 CONTRACT_VIOLATION', async (_what, change, path) => {
    const response = await post(JSON.stringify({ ...valid, ...change }));
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: { code: 'CONTRACT_VIOLATION', details: { problems: [expect.objectContaining({ path })] } },
    });
  });

  it('refuses a body that is not a JSON object, and a body over the size limit', async () => {
    expect(await post('[1,2]')).toMatchObject({
      status: 422,
      body: { error: { code: 'CONTRACT_VIOLATION' } },
    });
    expect(await post('hello', { 'content-type': 'text/plain' })).toMatchObject({
      status: 422,
      body: { error: { code: 'CONTRACT_VIOLATION' } },
    });
    const huge = await post(JSON.stringify({ ...valid, prompt: 'x'.repeat(1_100_000) }));
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'BODY_TOO_LARGE' } } });
  });

  it('answers 404 for an unknown request and 400 for an id that is not a UUID', async () => {
    expect(await app.service.request('/v1/generations/6f1c1d8e-1111-4222-8333-444455556666')).toMatchObject({
      status: 404,
      body: { error: { code: 'REQUEST_NOT_FOUND' } },
    });
    expect(await app.service.request('/v1/generations/not-a-uuid')).toMatchObject({
      status: 400,
      body: { error: { code: 'REQUEST_ID_INVALID' } },
    });
  });

  it('is ready with Redis and Kafka, and serves its metrics', async () => {
    const health = await app.service.request('/health');
    expect(health.status).toBe(200);
    expect(JSON.stringify(health.body)).toContain('redis');
    const metrics = await fetch(`${app.service.url}/metrics`);
    expect(await metrics.text()).toContain('genstream_generation_model_calls_total');
  });

  it('serves a valid OpenAPI 3.1 document of every route on /openapi.json', async () => {
    const openapi = await checkOpenApi(app.service);
    expect(openapi).toMatchObject({ version: '3.1', errors: undefined, undocumented: [] });
    expect([...openapi.served].sort()).toEqual([
      'GET /health',
      'GET /health/live',
      'GET /metrics',
      'GET /openapi.json',
      'GET /v1/generations/{requestId}',
      'POST /v1/generations',
    ]);
  });
});
