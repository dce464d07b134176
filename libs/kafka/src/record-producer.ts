import { StoreUnavailableError } from '@genstream/errors';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { KafkaMetrics } from './metrics.js';
import type { ProducerSettings } from './options.js';
import { SendQueue, type OutboundRecord } from './send-queue.js';

/**
 * The one idempotent producer of a runtime, shared by the event publisher and the dead-letter
 * writer. Idempotence (acks from all in-sync replicas, producer id and sequence numbers) means a
 * retried request never duplicates or reorders records within a partition; with one request in
 * flight (the SendQueue's rule, and maxInFlightRequests 1 here) that holds across requests too.
 */
export class RecordProducer {
  private readonly producer: Producer;
  private readonly queue: SendQueue;
  private connected = false;
  private started = false;

  constructor(
    kafka: Kafka,
    settings: ProducerSettings,
    private readonly metrics: KafkaMetrics,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning: the same key lands on the same partition whichever
      // client (Java, librdkafka, kafkajs) produced it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.connected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = false));
    this.queue = new SendQueue((records) => this.sendNow(records), settings);
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.producer.connect();
    this.started = true;
  }

  /** Sends what is queued, then disconnects. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    try {
      await this.queue.drain();
    } finally {
      await this.producer.disconnect();
    }
  }

  /** Resolves when Kafka acknowledged every one of `records`. */
  send(records: readonly OutboundRecord[]): Promise<void> {
    if (!this.started)
      return Promise.reject(new Error('the Kafka producer is not started (call start() first)'));
    return this.queue.enqueue(records);
  }

  private async sendNow(records: readonly OutboundRecord[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of records) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    this.metrics.sendRequests.inc();
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const [topic, messages] of byTopic) this.metrics.sendFailures.inc({ topic }, messages.length);
      throw asSendError(error, records.length);
    }
    for (const [topic, messages] of byTopic) this.metrics.recordsSent.inc({ topic }, messages.length);
  }
}

/**
 * kafkajs gives up on errors worth retrying later (broker gone, retries exhausted): those become
 * our retriable StoreUnavailableError. Others (a record too large) stay as they are: permanent.
 */
function asSendError(error: unknown, count: number): unknown {
  let cause: unknown = error;
  let retriable = false;
  while (cause instanceof Error) {
    if (
      cause.name === 'KafkaJSNumberOfRetriesExceeded' ||
      (cause as { retriable?: unknown }).retriable === true
    ) {
      retriable = true;
    }
    cause = cause.cause;
  }
  if (!retriable) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`Kafka did not accept ${count} record(s): ${message}`, { cause: error });
}
