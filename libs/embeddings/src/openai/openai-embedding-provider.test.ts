import { startFakeOpenAiServer, type FakeOpenAiServer } from '@genstream/llm/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiEmbeddingProvider, type OpenAiEmbeddingProviderOptions } from './openai-embedding-provider.js';

// The client against an in-process fake endpoint that lists vectors in reverse order and makes
// each one from its text: [text length, 0.1, 0.2, 0.3].

const FAST_RETRIES = { backoffBaseMs: 5, backoffMaxMs: 20 };

function vectorOf(text: string): Float32Array {
  return Float32Array.from([text.length, 0.1, 0.2, 0.3]);
}

describe('OpenAiEmbeddingProvider', () => {
  let server: FakeOpenAiServer;
  let provider: (options?: Partial<OpenAiEmbeddingProviderOptions>) => OpenAiEmbeddingProvider;

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    provider = (options = {}) =>
      new OpenAiEmbeddingProvider({
        baseUrl: server.url,
        apiKey: 'sk-embed',
        model: 'text-embedding-3-small',
        ...FAST_RETRIES,
        ...options,
      });
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.dimension = 4;
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
  });

  it('posts the texts as input and returns the vectors in input order, whatever the answer order', async () => {
    const texts = ['a', 'bb', 'ccc'];
    const embedder = provider();
    expect(await embedder.embed(texts)).toEqual(texts.map(vectorOf));
    expect(server.requests).toMatchObject([
      { path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: texts } },
    ]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-embed');
    expect(embedder.name).toBe('openai:text-embedding-3-small');
    expect(embedder.dimension).toBe(4);
  });

  it('splits a large batch into requests of maxBatchSize and reassembles it in order', async () => {
    const texts = ['one', 'two', 'three', 'four', 'five'];
    expect(await provider({ maxBatchSize: 2 }).embed(texts)).toEqual(texts.map(vectorOf));
    expect(server.requests.map((request) => (request.body as { input: string[] }).input)).toEqual([
      ['one', 'two'],
      ['three', 'four'],
      ['five'],
    ]);
    expect(await provider().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(3);
  });

  it('does not send blank texts and gives them the zero vector', async () => {
    const vectors = await provider({ dimension: 4 }).embed(['', 'text', '  ']);
    expect(vectors).toEqual([new Float32Array(4), vectorOf('text'), new Float32Array(4)]);
    expect(server.requests.map((request) => request.body)).toMatchObject([{ input: ['text'] }]);
  });

  it('learns its dimension from the first answer, or asks for it once when it must', async () => {
    const embedder = provider();
    expect(() => embedder.dimension).toThrow('not known before its first answer');
    expect(await embedder.embed([' '])).toEqual([new Float32Array(4)]);
    expect(await embedder.resolveDimension()).toBe(4);
    expect(server.requests.map((request) => request.body)).toMatchObject([{ input: ['dimension probe'] }]);
  });

  it('rejects vectors of another length than configured, or a wrong count of them', async () => {
    await expect(provider({ dimension: 8 }).embed(['x'])).rejects.toMatchObject({
      code: 'PROVIDER_REJECTED',
      message: expect.stringContaining('a vector of 4 dimensions where 8 were expected') as unknown,
    });
    server.answerNext({ status: 200, body: { data: [{ index: 0, embedding: [1, 2, 3, 4] }] } });
    await expect(provider().embed(['x', 'y'])).rejects.toMatchObject({
      code: 'PROVIDER_REJECTED',
      message: expect.stringContaining('answered 1 vectors for 2 texts') as unknown,
    });
    server.answerNext({
      status: 200,
      body: {
        data: [
          { index: 0, embedding: [1] },
          { index: 0, embedding: [2] },
        ],
      },
    });
    await expect(provider().embed(['x', 'y'])).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });

  it('retries an overloaded endpoint and maps final failures like the chat client', async () => {
    server.answerNext({ status: 503 });
    expect(await provider().embed(['retry me'])).toEqual([vectorOf('retry me')]);
    expect(server.requests).toHaveLength(2);

    server.answerNext({ status: 500 }, { status: 500 });
    await expect(provider({ maxRetries: 1 }).embed(['x'])).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retriable: true,
    });
    server.answerNext({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-embed' } } });
    const error: unknown = await provider()
      .embed(['x'])
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'PROVIDER_REJECTED', retriable: false });
    expect((error as Error).message).not.toContain('sk-embed');
  });

  it('fails the whole batch when one of its requests is rejected', async () => {
    server.answerNext({ status: 200, body: { data: [] } });
    await expect(provider({ maxBatchSize: 1 }).embed(['a', 'b', 'c'])).rejects.toMatchObject({
      code: 'PROVIDER_REJECTED',
    });
  });
});
