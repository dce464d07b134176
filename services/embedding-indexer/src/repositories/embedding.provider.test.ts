import { loadConfig } from '@genstream/config';
import { ConfigError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import { createEmbedder } from './embedding.provider.js';

const base = { KAFKA_BROKERS: '127.0.0.1:39092', REDIS_URL: 'redis://127.0.0.1:36379' };

describe('createEmbedder', () => {
  it('is the local embedder of 256 dimensions by default', () => {
    const embedder = createEmbedder(loadConfig(configSchema, base));
    expect([embedder.name, embedder.dimension]).toEqual(['local-hashed-v1', 256]);
    expect(createEmbedder(loadConfig(configSchema, { ...base, EMBEDDING_DIMENSION: '64' })).dimension).toBe(
      64,
    );
  });

  it('builds an OpenAI-compatible provider, and says which variables it lacks', () => {
    const embedder = createEmbedder(
      loadConfig(configSchema, {
        ...base,
        EMBEDDING_PROVIDER: 'openai',
        EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1',
        EMBEDDING_MODEL: 'nomic-embed-text',
        EMBEDDING_DIMENSION: '768',
      }),
    );
    expect([embedder.name, embedder.dimension]).toEqual(['openai:nomic-embed-text', 768]);
    expect(() => createEmbedder(loadConfig(configSchema, { ...base, EMBEDDING_PROVIDER: 'openai' }))).toThrow(
      ConfigError,
    );
    expect(() => createEmbedder(loadConfig(configSchema, { ...base, EMBEDDING_PROVIDER: 'openai' }))).toThrow(
      /EMBEDDING_BASE_URL is required[\s\S]*EMBEDDING_MODEL is required/,
    );
  });
});
