export * from './generated/events.js';
export { createEventCodec, type EventCodec, type EventCodecOptions } from './event-codec.js';
export type { SchemaRegistryOptions } from './schema-registry-client.js';
export type { SchemaSet } from './schema-set.js';
export { CONTENT_ID_NAMESPACE, contentIdOf, isUuid, uuidV5 } from './content-id.js';
export { TOPICS, contractTopics, deadLetterTopic, valueSubject, type Topic } from './topics.js';
export { DEAD_LETTER_HEADERS, DEAD_LETTER_HEADER_DOCS } from './dead-letter-headers.js';
export { checkBackwardCompatible, type CompatibilityResult } from './compatibility.js';
