import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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

  constructor(readonly registry: Registry) {
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      reuse(registry, name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }));
    this.recordsReceived = counter(
      'genstream_kafka_consumer_records_received_total',
      'Records fetched and handed to the runtime.',
      ['topic', 'group'],
    );
    this.recordsHandled = counter(
      'genstream_kafka_consumer_records_handled_total',
      'Records the handler processed successfully.',
      ['topic', 'group'],
    );
    this.recordsFailed = counter(
      'genstream_kafka_consumer_records_failed_total',
      'Record failures (decode or handler), by stable error code; retriable ones are retried later.',
      ['topic', 'group', 'code', 'retriable'],
    );
    this.recordsDeadLettered = counter(
      'genstream_kafka_consumer_records_dead_lettered_total',
      'Records written to the dead-letter topic, by stable error code.',
      ['topic', 'group', 'code'],
    );
    this.retries = counter(
      'genstream_kafka_consumer_retries_total',
      'Times a partition was paused to retry after a retriable error.',
      ['topic', 'group'],
    );
    this.stalls = counter(
      'genstream_kafka_consumer_stalls_total',
      'Times a partition with records waiting got no batch for too long and the member rejoined its group.',
      ['topic', 'group'],
    );
    this.batchDuration = reuse(
      registry,
      'genstream_kafka_consumer_batch_duration_seconds',
      () =>
        new Histogram({
          name: 'genstream_kafka_consumer_batch_duration_seconds',
          help: 'Time to process one batch: decode, handler, dead letters and commit.',
          labelNames: ['topic', 'group'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [registry],
        }),
    );
    this.lag = reuse(
      registry,
      'genstream_kafka_consumer_lag',
      () =>
        new Gauge({
          name: 'genstream_kafka_consumer_lag',
          help: 'Records behind the high watermark after the last processed batch, per partition.',
          labelNames: ['topic', 'group', 'partition'],
          registers: [registry],
        }),
    );
    this.pausedPartitions = reuse(
      registry,
      'genstream_kafka_consumer_paused_partitions',
      () =>
        new Gauge({
          name: 'genstream_kafka_consumer_paused_partitions',
          help: 'Partitions paused while waiting to retry.',
          labelNames: ['group'],
          registers: [registry],
        }),
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
  }
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
