export { generationConfigSchema, loadGenerationConfig, type GenerationConfig } from './config.js';
export { GenerationModule, type GenerationModuleOptions } from './generation.module.js';
export { GenerationService, answerKeyOf, type RequestOutcome } from './services/generation.service.js';
export { GenerationMetrics } from './services/generation-metrics.js';
export {
  MAX_TENANT_CHARS,
  MAX_TITLE_CHARS,
  MAX_TOKENS_LIMIT,
  RequestValidator,
  type Problem,
} from './services/request-validator.js';
export { requestFromBody } from './handlers/generation-body.js';
export { contentGenerated } from './services/generation-events.js';
