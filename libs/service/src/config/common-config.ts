import { hostPorts, integer, oneOf, text, url, type ConfigOf } from '@genstream/config';
import { optional } from './optional.js';

/** Default HTTP port of each service (one per service, so they run side by side on one machine). */
export const SERVICE_PORTS = {
  generation: 8180,
  'metadata-writer': 8181,
  'document-writer': 8182,
  'cache-updater': 8183,
  'embedding-indexer': 8184,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Partitions of genstream's topics unless KAFKA_PARTITIONS says otherwise: the most instances of
 * one service that can share the work (a seventh would wait idle).
 */
export const DEFAULT_KAFKA_PARTITIONS = 6;

/**
 * The variables every service reads; spread into a service's schema:
 * `loadConfig({ ...commonConfig('metadata-writer'), DATABASE_URL: url(['postgres:']) })`.
 * Only PORT's default differs between services.
 */
export function commonConfig(service: ServiceName) {
  return {
    KAFKA_BROKERS: hostPorts(),
    /** Set: events are written with the Confluent framing and their schemas registered there. */
    SCHEMA_REGISTRY_URL: optional(url(['http:', 'https:'])),
    PORT: integer({ min: 0, max: 65_535, fallback: SERVICE_PORTS[service] }),
    HOST: text('127.0.0.1'),
    LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
    /** Partitions of the topics this service creates when they are missing (see npm run topics). */
    KAFKA_PARTITIONS: integer({ min: 1, max: 10_000, fallback: DEFAULT_KAFKA_PARTITIONS }),
    /** Replicas of each partition of those topics; unset: the cluster's default.replication.factor. */
    KAFKA_REPLICATION_FACTOR: optional(integer({ min: 1, max: 32 })),
    /**
     * How long the group waits for a silent member before handing its partitions to the others:
     * the records of a crashed instance wait this long (kafkajs' 30 s default made them wait 30 s).
     */
    KAFKA_SESSION_TIMEOUT_MS: integer({ min: 6_000, max: 300_000, fallback: 10_000 }),
    /**
     * Longest pause between two tries of a batch whose store is down (exponential, full jitter):
     * bounds how long a writer stays idle after its store is back.
     */
    KAFKA_RETRY_MAX_MS: integer({ min: 100, max: 300_000, fallback: 5_000 }),
    /**
     * Put before every topic and consumer group name; empty in production. Tests and side-by-side
     * demos isolate themselves with it.
     */
    TOPIC_PREFIX: text(''),
  };
}

export type CommonConfig = ConfigOf<ReturnType<typeof commonConfig>>;
