import {
  TOPICS,
  createEventCodec,
  deadLetterTopic,
  type EventInputTypes,
  type EventName,
  type EventTypes,
} from '@genstream/events';
import type { KafkaRuntime, KafkaRuntimeOptions, Logger, TopicMap } from '@genstream/kafka';
import type { CommonConfig } from '../config/common-config.js';

/** The Kafka runtime of a genstream service: every event of the contract. */
export type ServiceKafkaRuntime = KafkaRuntime<EventTypes, EventInputTypes>;
export type ServiceKafkaRuntimeOptions = KafkaRuntimeOptions<EventTypes, EventInputTypes>;

/** The contract's topics (TOPICS), each with `prefix` put before it; the same TOPICS when empty. */
export function topicsFor(prefix = ''): TopicMap<EventTypes> {
  return Object.fromEntries(
    Object.entries(TOPICS).map(([name, topic]) => [name, `${prefix}${topic}`]),
  ) as Record<EventName, string>;
}

/** `genstream.<service>` (with TOPIC_PREFIX before it): the consumer group of a service. */
export function consumerGroupId(config: Pick<CommonConfig, 'TOPIC_PREFIX'>, service: string): string {
  return `${config.TOPIC_PREFIX}genstream.${service}`;
}

/**
 * The runtime's options from the common configuration: Avro codec (Confluent framing and schema
 * registration when SCHEMA_REGISTRY_URL is set), the contract's topics and `<topic>.dlq` dead
 * letters, topics created with KAFKA_PARTITIONS partitions, the session timeout and retry ceiling of
 * KAFKA_SESSION_TIMEOUT_MS and KAFKA_RETRY_MAX_MS, the service's logger.
 */
export function kafkaRuntimeOptionsFor(
  config: CommonConfig,
  service: string,
  logger: Logger,
  overrides: Partial<ServiceKafkaRuntimeOptions> = {},
): ServiceKafkaRuntimeOptions {
  const topics = topicsFor(config.TOPIC_PREFIX);
  const codec = createEventCodec({
    ...(config.SCHEMA_REGISTRY_URL === undefined ? {} : { registry: { url: config.SCHEMA_REGISTRY_URL } }),
    // Registry subjects follow the topic actually written (TopicNameStrategy).
    topicOf: (name) => (topics as Record<string, string | undefined>)[name],
  });
  return {
    service,
    brokers: config.KAFKA_BROKERS,
    codec,
    topics,
    deadLetterTopic,
    topicCreation: {
      partitions: config.KAFKA_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR ?? -1,
    },
    consumer: {
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      // Kafka's advice: heartbeats at most a third of the session timeout apart.
      heartbeatIntervalMs: Math.min(3_000, Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 3)),
      retryBackoff: { baseMs: 200, maxMs: config.KAFKA_RETRY_MAX_MS },
    },
    logger,
    kafkaLogLevel: config.LOG_LEVEL === 'error' ? 'error' : 'warn',
    ...overrides,
  };
}
