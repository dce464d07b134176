import { loadConfig } from '@genstream/config';
import { ConfigError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import {
  configWithEmbedder,
  embedderConflict,
  environmentOf,
  formatEmbedderSpec,
  parseEmbedderSpec,
} from './embedder-spec.js';

const config = loadConfig(configSchema, {
  KAFKA_BROKERS: '127.0.0.1:39092',
  REDIS_URL: 'redis://127.0.0.1:36379',
  EMBEDDING_DIMENSION: '64',
});

describe('parseEmbedderSpec', () => {
  it('reads local (256 dimensions), local:<dimension> and openai:<model>, colons in models included', () => {
    expect(parseEmbedderSpec('local')).toEqual({ provider: 'local', dimension: 256 });
    expect(parseEmbedderSpec('local:384')).toEqual({ provider: 'local', dimension: 384 });
    expect(parseEmbedderSpec('openai:nomic-embed-text:latest')).toEqual({
      provider: 'openai',
      model: 'nomic-embed-text:latest',
    });
    expect(formatEmbedderSpec(parseEmbedderSpec('local'))).toBe('local:256');
    expect(formatEmbedderSpec(parseEmbedderSpec('openai:text-embedding-3-small'))).toBe(
      'openai:text-embedding-3-small',
    );
  });

  it.each([
    ['', /is not an embedder/],
    ['bert', /is not an embedder: use local, local:<dimension> or openai:<model>/],
    ['local:1', /from 2 to 65536/],
    ['local:12x', /from 2 to 65536/],
    ['openai:', /name the model/],
  ])('refuses %j with a ConfigError', (text, message) => {
    expect(() => parseEmbedderSpec(text)).toThrow(ConfigError);
    expect(() => parseEmbedderSpec(text)).toThrow(message);
  });
});

describe('configWithEmbedder', () => {
  it('sets the embedder variables of the spec and keeps the rest', () => {
    expect(configWithEmbedder(config, { provider: 'local', dimension: 384 })).toMatchObject({
      EMBEDDING_PROVIDER: 'local',
      EMBEDDING_DIMENSION: 384,
      REDIS_URL: config.REDIS_URL,
    });
    // The local embedder's 64 dimensions say nothing about an OpenAI model's.
    const openai = configWithEmbedder(config, { provider: 'openai', model: 'm' });
    expect([openai.EMBEDDING_PROVIDER, openai.EMBEDDING_MODEL, openai.EMBEDDING_DIMENSION]).toEqual([
      'openai',
      'm',
      undefined,
    ]);
    expect(environmentOf({ provider: 'local', dimension: 384 })).toBe(
      'EMBEDDING_PROVIDER=local EMBEDDING_DIMENSION=384',
    );
  });
});

describe('embedderConflict', () => {
  const v2 = {
    set: 'genstream:vs:content:v2',
    version: 2,
    aliased: true,
    embedder: { name: 'local-hashed-v1', dimension: 384, spec: 'local:384' },
  };

  it('finds none without an alias, or with the same embedder and dimension', () => {
    expect(embedderConflict({ set: 'genstream:vs:content', version: 1, aliased: false }, { name: 'x' })).toBe(
      undefined,
    );
    expect(embedderConflict(v2, { name: 'local-hashed-v1', dimension: 384 })).toBeUndefined();
    expect(embedderConflict(v2, { name: 'local-hashed-v1' })).toBeUndefined();
  });

  it('names both embedders and the restart that fixes it', () => {
    expect(embedderConflict(v2, { name: 'local-hashed-v1', dimension: 256 })).toBe(
      'the vector set genstream:vs:content:v2 (version 2, the alias) was built by local:384 ' +
        '(local-hashed-v1, 384 dimensions) and this instance embeds with local-hashed-v1, 256 dimensions; ' +
        'restart embedding-indexer with EMBEDDING_PROVIDER=local EMBEDDING_DIMENSION=384',
    );
    expect(embedderConflict(v2, { name: 'openai:m' })).toMatch(/embeds with openai:m; restart/);
  });
});
