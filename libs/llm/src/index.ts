export type { LlmParameters, LlmProvider, LlmRequest, LlmResult, LlmUsage } from './llm-provider.js';
export { LocalProvider, LOCAL_MODEL_USED, type LocalProviderOptions } from './local/local-provider.js';
export { summarize, type SummaryOptions } from './local/summarize.js';
export { OpenAiChatProvider, type OpenAiChatProviderOptions } from './openai/openai-chat-provider.js';
export {
  LOCAL_MODEL,
  ModelRouter,
  createModelRouter,
  type ModelRoute,
  type ModelRouterConfig,
} from './model-router.js';
// The HTTP pieces every OpenAI-compatible client shares (the embeddings library uses them too).
export {
  JsonPostClient,
  type HttpClientOptions,
  type JsonPostClientOptions,
  type RetryEvent,
} from './http/json-post-client.js';
export { Semaphore, type Release } from './http/semaphore.js';
export { retryAfterMs } from './http/retry-after.js';
