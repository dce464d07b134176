import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { counterOn, gaugeOn, histogramOn } from './registered-metric.js';

/**
 * The runtime's Prometheus metrics, on a Registry the caller owns (never prom-client's global
 * one, so tests and several runtimes in one process do not collide). Runtimes sharing a registry
 * share these metrics; the `group` label tells their consumers apart.
 */
export class KafkaMetrics {
  readonly recordsReceived: Counter<'topic' | 'group'>;
  readonly recordsHandled: Counter<'topic' | 'group'>;
  readonly recordsFailed: Counter<'topic' | 'group' | 'code' | 'retriable'>;
  readonly recordsDeadLettered: Counter<'topic' | 'group' | 'code'>;
  readonly retries: Counter<'topic' | 'group'>;
  readonly stalls: Counter<'topic' | 'group'>;
  readonly batchDuration: Histogram<'topic' | 'group'>;
  readonly lag: Gauge<'topic' | 'group' | 'partition'>;
  readonly pausedPartitions: Gauge<'group'>;
  readonly recordsSent: Counter<'topic'>;
  readonly sendFailures: Counter<'topic'>;
  readonly sendRequests: Counter;
  readonly producerResets: Counter;
  readonly unacknowledgedResends: Counter;

  constructor(readonly registry: Registry) {
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      counterOn(registry, { name, help, labelNames });
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      gaugeOn(registry, { name, help, labelNames });
    const consumed = ['topic', 'group'] as const;
    this.recordsReceived = counter(
      'genstream_kafka_consumer_records_received_total',
      'Records fetched and handed to the runtime.',
      consumed,
    );
    this.recordsHandled = counter(
      'genstream_kafka_consumer_records_handled_total',
      'Records the handler processed successfully.',
      consumed,
    );
    this.recordsFailed = counter(
      'genstream_kafka_consumer_records_failed_total',
      'Record failures (decode or handler), by stable error code; retriable ones are retried later.',
      [...consumed, 'code', 'retriable'],
    );
    this.recordsDeadLettered = counter(
      'genstream_kafka_consumer_records_dead_lettered_total',
      'Records written to the dead-letter topic, by stable error code.',
      [...consumed, 'code'],
    );
    this.retries = counter(
      'genstream_kafka_consumer_retries_total',
      'Times a partition was paused to retry after a retriable error.',
      consumed,
    );
    this.stalls = counter(
      'genstream_kafka_consumer_stalls_total',
      'Times a partition with records waiting got no batch for too long and the member rejoined its group.',
      consumed,
    );
    this.batchDuration = histogramOn(registry, {
      name: 'genstream_kafka_consumer_batch_duration_seconds',
      help: 'Time to process one batch: decode, handler, dead letters and commit.',
      labelNames: consumed,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.lag = gauge(
      'genstream_kafka_consumer_lag',
      'Records behind the high watermark after the last processed batch, per partition.',
      [...consumed, 'partition'],
    );
    this.pausedPartitions = gauge(
      'genstream_kafka_consumer_paused_partitions',
      'Partitions paused while waiting to retry.',
      ['group'],
    );
    this.recordsSent = counter(
      'genstream_kafka_producer_records_sent_total',
      'Records acknowledged by Kafka (events and dead letters).',
      ['topic'],
    );
    this.sendFailures = counter(
      'genstream_kafka_producer_send_failures_total',
      'Records whose send failed or timed out.',
      ['topic'],
    );
    this.sendRequests = counter(
      'genstream_kafka_producer_requests_total',
      'Produce requests sent; records_sent / requests is the coalescing achieved.',
      [],
    );
    this.producerResets = counter(
      'genstream_kafka_producer_resets_total',
      'Times the producer was replaced because the broker refused its sequence numbers (after a broker restart).',
      [],
    );
    this.unacknowledgedResends = counter(
      'genstream_kafka_producer_unacknowledged_resends_total',
      'Records sent again because a send resolved without an acknowledgement of their partition (a kafkajs retry skipped them after a leader moved).',
      [],
    );
  }
}
