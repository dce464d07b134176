export { generationConfigSchema, loadGenerationConfig, type GenerationConfig } from './config.js';
export { GenerationModule, type GenerationModuleOptions } from './generation.module.js';
export { GenerationService, answerKeyOf, type RequestOutcome } from './services/generation.service.js';
export { RequestValidator, type Problem } from './validation/request-validator.js';
