export { eventually } from '@genstream/testing';
export { startTestService, type RunningService } from './test-service.js';
export { testTopics, type TestTopics } from './test-topics.js';
