// Backoff lives with the error hierarchy (retriable errors are what it paces); re-exported here as before.
export { backoffCeiling, backoffDelay } from '@genstream/errors';
export { BatchOutcome, type BatchContext, type BatchHandler, type RecordFailure } from './batch-outcome.js';
export type { EventCodec, EventDecoder, EventEncoder, EventMap, EventNameOf, TopicMap } from './codec.js';
export type { ConsumedRecord, ConsumedRecordOf } from './consumed-record.js';
export type { ConsumerHealth, ConsumerState } from './consumer-health.js';
export {
  DEAD_LETTER_HEADERS,
  buildDeadLetter,
  parseDeadLetter,
  type DeadLetter,
  type DeadLetterReason,
  type DeadLetterSource,
} from './dead-letter.js';
export {
  findDeadLetters,
  formatDeadLetterId,
  matchesFilter,
  parseDeadLetterId,
  type DeadLetterFilter,
  type DeadLetterId,
  type DeadLetterListing,
  type StoredDeadLetter,
  type UnreadableRecord,
} from './dead-letter-store.js';
export {
  REDRIVE_HEADERS,
  REDRIVE_SCAN_SLACK_MS,
  findRedriven,
  redriveDeadLetters,
  redriveUnits,
  redrivenRecord,
  type RedriveAction,
  type RedriveItem,
  type RedriveOptions,
  type RedriveProgress,
  type RedriveReport,
  type RedriveUnit,
} from './dead-letter-redrive.js';
export { DeadLetterTool } from './dead-letter-tool.js';
export { EventConsumer, type ConsumerRegistration } from './event-consumer.js';
export { EventPublisher, type PublishOptions } from './event-publisher.js';
export { KafkaRuntime, type RuntimeHealth } from './kafka-runtime.js';
export { jsonLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { KafkaMetrics } from './metrics.js';
export {
  DEFAULT_CONSUMER,
  DEFAULT_PRODUCER,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  defaultDeadLetterTopic,
  defaultKeyOf,
  type BackoffOptions,
  type ConsumerSettings,
  type KafkaRuntimeOptions,
  type ProducerSettings,
  type TopicCreationOptions,
} from './options.js';
export { finishesWithin, stopOnSignals, type SignalOptions } from './shutdown.js';
export { KafkaRuntimeModule, type KafkaRuntimeModuleAsyncOptions } from './nest/kafka-runtime.module.js';
export { EVENT_PUBLISHER, KAFKA_RUNTIME, METRICS_REGISTRY, READINESS_CHECKS } from './nest/tokens.js';
export { HealthController, type HealthReport } from './nest/health.controller.js';
export type { CheckResult, ReadinessChecks, ReadinessReport } from './nest/readiness.js';
export { MetricsController } from './nest/metrics.controller.js';
export { HttpMetrics, type MeteredRequest, type MeteredResponse } from './nest/http-metrics.js';
export {
  committedTotal,
  groupPositions,
  topicEnds,
  type GroupPosition,
  type PartitionEnd,
} from './group-offsets.js';
export { OffsetsClient } from './offsets-client.js';
export { flushTraces, tracingOn } from './tracing.js';
export { readTopicRange, readTopicRecords, type ReadOptions, type TopicRecord } from './topic-reader.js';
export {
  ensurePartitions,
  ensureTopicPartitions,
  type PartitionsMode,
  type TopicPartitions,
} from './topics.js';
