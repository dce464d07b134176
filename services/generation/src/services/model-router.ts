import { createModelRouter, type ModelRouter } from '@genstream/llm';
import type { GenerationConfig } from '../config.js';

/** `local` always; the LLM_OPENAI_MODELS to the OpenAI-compatible endpoint when one is configured. */
export function modelRouterFor(config: GenerationConfig): ModelRouter {
  const baseUrl = config.LLM_OPENAI_BASE_URL;
  return createModelRouter({
    local: { simulatedLatencyMs: config.LLM_LOCAL_LATENCY_MS },
    ...(baseUrl === undefined
      ? {}
      : {
          openai: {
            provider: {
              baseUrl,
              apiKey: config.LLM_OPENAI_API_KEY,
              timeoutMs: config.LLM_TIMEOUT_MS,
              maxConcurrent: config.LLM_MAX_CONCURRENCY,
            },
            models: config.LLM_OPENAI_MODELS,
          },
        }),
  });
}

/**
 * How long a request waits for an identical generation running on another instance before it
 * gives up (retriable): an endpoint call may take three attempts of LLM_TIMEOUT_MS plus backoff.
 */
export function singleFlightMaxWaitMs(config: GenerationConfig): number {
  return 3 * config.LLM_TIMEOUT_MS + 30_000;
}
