import type { EventName } from './generated/events.js';

/** The Kafka topic of each event (DESIGN.md section 2: public names, versioned with the schemas). */
export const TOPICS = {
  GenerationRequested: 'genstream.generation.requested',
  ContentGenerated: 'genstream.content.generated',
  ContentIndexed: 'genstream.content.indexed',
  GenerationFailed: 'genstream.generation.failed',
} as const satisfies Record<EventName, string>;

export type Topic = (typeof TOPICS)[EventName];

/** Where records of `topic` that can never be processed go, with their reason in the headers. */
export function deadLetterTopic<T extends string>(topic: T): `${T}.dlq` {
  return `${topic}.dlq`;
}

/** Every topic of the contract and its dead-letter topic, each with `prefix` before it (TOPIC_PREFIX). */
export function contractTopics(prefix = ''): string[] {
  const topics = Object.values(TOPICS).map((topic) => `${prefix}${topic}`);
  return [...topics, ...topics.map(deadLetterTopic)];
}

/** The schema registry subject of an event's values (Confluent TopicNameStrategy: `<topic>-value`). */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
