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
  private producer: Producer;
  private readonly queue: SendQueue;
  private connected = false;
  private started = false;
  /** Set when the broker lost track of this producer's sequence numbers: the next send starts a new one. */
  private stale = false;

  constructor(
    private readonly kafka: Kafka,
    settings: ProducerSettings,
    private readonly metrics: KafkaMetrics,
  ) {
    this.producer = this.createProducer();
    this.queue = new SendQueue((records) => this.sendNow(records), settings);
  }

  private createProducer(): Producer {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning: the same key lands on the same partition whichever
      // client (Java, librdkafka, kafkajs) produced it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    producer.on(producer.events.CONNECT, () => (this.connected = true));
    producer.on(producer.events.DISCONNECT, () => (this.connected = false));
    return producer;
  }

  /**
   * A new producer (a new producer id, sequence numbers from 0) in place of one whose sequence the
   * broker refuses: kafkajs keeps counting after a request that failed mid-flight, for example
   * across a broker restart, and every later send is then OUT_OF_ORDER_SEQUENCE_NUMBER for good.
   */
  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.createProducer();
    await old.disconnect().catch(() => undefined);
    await this.producer.connect();
    this.stale = false;
    this.metrics.producerResets.inc();
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
      if (this.stale) await this.replaceProducer();
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const [topic, messages] of byTopic) this.metrics.sendFailures.inc({ topic }, messages.length);
      if (isSequenceLost(error)) this.stale = true;
      throw asSendError(error, records.length);
    }
    for (const [topic, messages] of byTopic) this.metrics.recordsSent.inc({ topic }, messages.length);
  }
}

/** The broker's answers that mean it no longer accepts this producer id's sequence numbers. */
const SEQUENCE_LOST = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

function causes(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) chain.push(cause);
  return chain;
}

function isSequenceLost(error: unknown): boolean {
  return causes(error).some((cause) => SEQUENCE_LOST.has(String((cause as { type?: unknown }).type)));
}

/**
 * kafkajs gives up on errors worth retrying later (broker gone, retries exhausted, a sequence the
 * broker lost, which a new producer mends): those become our retriable StoreUnavailableError.
 * Others (a record too large) stay as they are: permanent.
 */
function asSendError(error: unknown, count: number): unknown {
  const retriable =
    isSequenceLost(error) ||
    causes(error).some(
      (cause) =>
        cause.name === 'KafkaJSNumberOfRetriesExceeded' ||
        (cause as { retriable?: unknown }).retriable === true,
    );
  if (!retriable) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`Kafka did not accept ${count} record(s): ${message}`, { cause: error });
}
