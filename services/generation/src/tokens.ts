// Injection tokens of the generation module. Inject with `@Inject(TOKEN)`: vitest and tsx emit no
// decorator metadata.
export const REDIS = Symbol('genstream.generation.redis');
export const MODEL_ROUTER = Symbol('genstream.generation.model-router');
export const REQUEST_VALIDATOR = Symbol('genstream.generation.request-validator');
export const GENERATION_SERVICE = Symbol('genstream.generation.service');
export const GENERATION_REQUESTS = Symbol('genstream.generation.requests');
export const GENERATION_MODULE_OPTIONS = Symbol('genstream.generation.module-options');
