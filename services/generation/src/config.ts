import { integer, loadConfig, secret, text, url, type ConfigOf, type Field } from '@genstream/config';
import { authConfig } from '@genstream/auth';
import { ConfigError } from '@genstream/errors';
import { commonConfig, optional } from '@genstream/service';

/** Comma-separated names, blanks dropped; empty when unset. */
function names(): Field<string[]> {
  return {
    describe: 'comma-separated names',
    parse: (raw) =>
      raw
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    fallback: () => [],
  };
}

/** Every variable the generation service reads, declared once. */
export const generationConfigSchema = {
  ...commonConfig('generation'),
  ...authConfig,
  REDIS_URL: secret(url(['redis:', 'rediss:'])),
  /** Longest prompt (and system prompt) accepted, in characters. */
  MAX_PROMPT_CHARS: integer({ min: 1, max: 1_000_000, fallback: 20_000 }),
  /** An OpenAI-compatible endpoint (OpenAI, vLLM, Ollama...); unset: only the model `local`. */
  LLM_OPENAI_BASE_URL: optional(url(['http:', 'https:'])),
  LLM_OPENAI_API_KEY: secret(optional(text())),
  /** Model names routed to that endpoint. */
  LLM_OPENAI_MODELS: names(),
  /** Added to every answer of the built-in `local` model, to stand in for a real model's latency. */
  LLM_LOCAL_LATENCY_MS: integer({ min: 0, max: 600_000, fallback: 0 }),
  /** Per attempt of a call to the endpoint. */
  LLM_TIMEOUT_MS: integer({ min: 1, max: 600_000, fallback: 60_000 }),
  /** Calls in flight to the endpoint at once. */
  LLM_MAX_CONCURRENCY: integer({ min: 1, max: 1_024, fallback: 4 }),
  /** Requests of a batch generated in parallel (model calls in flight in this process). */
  GENERATION_CONCURRENCY: integer({ min: 1, max: 1_024, fallback: 8 }),
  /** Life of the `accepted` status written by POST /v1/generations. */
  STATUS_TTL_SECONDS: integer({ min: 1, max: 30 * 86_400, fallback: 86_400 }),
};

export type GenerationConfig = ConfigOf<typeof generationConfigSchema>;

/** Loads and checks the configuration; one ConfigError lists every problem. */
export function loadGenerationConfig(env: NodeJS.ProcessEnv = process.env): GenerationConfig {
  const config = loadConfig(generationConfigSchema, env);
  const problems: string[] = [];
  if (config.LLM_OPENAI_MODELS.length > 0 && config.LLM_OPENAI_BASE_URL === undefined) {
    problems.push('LLM_OPENAI_MODELS is set but LLM_OPENAI_BASE_URL is not: where should they go?');
  }
  if (config.LLM_OPENAI_BASE_URL !== undefined && config.LLM_OPENAI_MODELS.length === 0) {
    problems.push('LLM_OPENAI_BASE_URL is set but LLM_OPENAI_MODELS lists no model to send there');
  }
  if (config.LLM_OPENAI_MODELS.includes('local')) {
    problems.push('LLM_OPENAI_MODELS must not list "local": that name is the built-in model');
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return config;
}
