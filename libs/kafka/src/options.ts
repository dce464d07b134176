import type { BackoffOptions } from '@genstream/errors';
import type { Registry } from 'prom-client';
import type { EventCodec, EventMap, TopicMap } from './codec.js';
import type { Logger, LogLevel } from './logger.js';

/** Exponential backoff with full jitter: a delay drawn from [0, min(maxMs, baseMs * 2^attempt)]. */
export type { BackoffOptions } from '@genstream/errors';

/** How topics are created when missing. -1 leaves the choice to the broker's defaults. */
export interface TopicCreationOptions {
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface ProducerSettings {
  /** How long a publish waits for others to join its request; a few ms turn N requests into one. */
  readonly lingerMs: number;
  /** A request carries at most this many records; a full batch goes out without waiting. */
  readonly maxBatchRecords: number;
  /**
   * The idempotent producer retries for ever; a caller (an HTTP handler) must not. After this long
   * publish() rejects with DependencyTimeoutError, which is retriable.
   */
  readonly acknowledgeTimeoutMs: number;
}

export interface ConsumerSettings {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  /**
   * Longest wait of a fetch for new data, and the idle step of kafkajs' loop while every partition
   * is paused: it bounds how late a partition resumes after its backoff.
   */
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly maxBytesPerPartition: number;
  /** A fetched batch is handed to the handler in slices of at most this many records. */
  readonly maxBatchRecords: number;
  readonly partitionsConsumedConcurrently: number;
  /** Where a new group starts: from the oldest record (default) or only new ones. */
  readonly fromBeginning: boolean;
  readonly retryBackoff: BackoffOptions;
  /**
   * A partition with records waiting that gets no batch for this long (not paused, no batch in
   * flight) is stalled: the member rejoins its group. 0 turns the watchdog off.
   */
  readonly stallAfterMs: number;
}

/**
 * Give the event maps explicitly, `new KafkaRuntime<EventTypes, EventInputTypes>({...})`:
 * TypeScript cannot infer them from the codec's generic methods.
 */
export interface KafkaRuntimeOptions<M extends EventMap, I extends EventMap = M> {
  /** Names the service in client ids, consumer group defaults and dead-letter headers. */
  readonly service: string;
  readonly brokers: readonly string[];
  readonly codec: EventCodec<M, I>;
  readonly topics: NoInfer<TopicMap<M>>;
  /** Dead-letter topic of a topic; the contract is `<topic>.dlq`. */
  readonly deadLetterTopic?: (topic: string) => string;
  /** The record key of an event; by default its `requestId`, so a request's events stay in order. */
  readonly keyOf?: (event: NoInfer<I[keyof I]>) => string | undefined;
  /** Topics (and their dead-letter topics) created on start when missing; false to never create. */
  readonly topicCreation?: Partial<TopicCreationOptions> | false;
  readonly producer?: Partial<ProducerSettings>;
  /** Defaults for every consumer of this runtime; each consumer may override them. */
  readonly consumer?: Partial<ConsumerSettings>;
  /** Where metrics are registered; a fresh Registry when omitted (never prom-client's global one). */
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** kafkajs' own log lines below this level are dropped. */
  readonly kafkaLogLevel?: LogLevel;
  /** stop() gives up waiting for the batch in flight, the commit and the group leave after this. */
  readonly shutdownTimeoutMs?: number;
}

export const DEFAULT_PRODUCER: ProducerSettings = {
  lingerMs: 5,
  maxBatchRecords: 500,
  acknowledgeTimeoutMs: 30_000,
};

export const DEFAULT_CONSUMER: ConsumerSettings = {
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitMs: 1_000,
  minBytes: 1,
  maxBytes: 10 * 1024 * 1024,
  maxBytesPerPartition: 1024 * 1024,
  maxBatchRecords: 500,
  partitionsConsumedConcurrently: 1,
  fromBeginning: true,
  retryBackoff: { baseMs: 200, maxMs: 30_000 },
  stallAfterMs: 20_000,
};

export const DEFAULT_TOPIC_CREATION: TopicCreationOptions = { partitions: -1, replicationFactor: -1 };

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/** The public contract (DESIGN.md section 2): dead letters of `t` go to `t.dlq`. */
export const defaultDeadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** By default a record is keyed by its event's request id. */
export function defaultKeyOf(event: unknown): string | undefined {
  const requestId = (event as { requestId?: unknown } | null)?.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}
