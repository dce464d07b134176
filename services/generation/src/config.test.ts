import { ConfigError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { loadGenerationConfig } from './config.js';

const REQUIRED = { KAFKA_BROKERS: '127.0.0.1:39092', REDIS_URL: 'redis://127.0.0.1:36379' };

describe('loadGenerationConfig', () => {
  it('defaults everything but the servers', () => {
    expect(loadGenerationConfig(REQUIRED)).toMatchObject({
      PORT: 8180,
      HOST: '127.0.0.1',
      MAX_PROMPT_CHARS: 20_000,
      LLM_OPENAI_BASE_URL: undefined,
      LLM_OPENAI_MODELS: [],
      LLM_LOCAL_LATENCY_MS: 0,
      GENERATION_CONCURRENCY: 8,
      STATUS_TTL_SECONDS: 86_400,
    });
  });

  it('reads the OpenAI-compatible endpoint and its models', () => {
    const config = loadGenerationConfig({
      ...REQUIRED,
      LLM_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      LLM_OPENAI_MODELS: 'gpt-4o-mini, llama3 ,',
    });
    expect(config.LLM_OPENAI_MODELS).toEqual(['gpt-4o-mini', 'llama3']);
  });

  it('refuses models without an endpoint, and the reverse', () => {
    expect(() => loadGenerationConfig({ ...REQUIRED, LLM_OPENAI_MODELS: 'gpt-4o' })).toThrow(ConfigError);
    expect(() => loadGenerationConfig({ ...REQUIRED, LLM_OPENAI_BASE_URL: 'http://h/v1' })).toThrow(
      /lists no model/,
    );
  });

  it('lists every bad variable at once', () => {
    expect(() => loadGenerationConfig({ MAX_PROMPT_CHARS: '0', GENERATION_CONCURRENCY: 'x' })).toThrow(
      /KAFKA_BROKERS[\s\S]*REDIS_URL[\s\S]*MAX_PROMPT_CHARS[\s\S]*GENERATION_CONCURRENCY/,
    );
  });
});
