export { eventually } from '@genstream/testing';
export { checkOpenApi, type OpenApiCheck } from './openapi-check.js';
export { startTestService, type RunningService } from './test-service.js';
export { testApiKey } from './test-api-key.js';
export { testTopics, type TestTopics } from './test-topics.js';
