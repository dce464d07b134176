import { StoreUnavailableError, backoffDelay, sleep } from '@genstream/errors';
import {
  Partitioners,
  type ICustomPartitioner,
  type Kafka,
  type Message,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';
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
    private readonly settings: ProducerSettings,
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
      // client (Java, librdkafka, kafkajs) produced it; pinned, so each record's partition is known.
      createPartitioner: pinningPartitioner,
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

  /**
   * Sends the records until the broker acknowledged each one, for up to acknowledgeTimeoutMs.
   * kafkajs retrying a produce itself skips every broker that answered an earlier attempt: when
   * a lost broker's partitions moved to such a broker, their records are never sent, yet the send
   * resolves (found by the fault suite: a leader killed in a three-broker cluster, 4 records gone).
   * So every record's partition is pinned (pinningPartitioner), the acknowledged partitions are
   * read from the answer, and the records of a partition missing from it are sent again. A send
   * that fails is tried again whole, to the leaders of now: a record an attempt had written before
   * it failed may be written twice (at least once, as everywhere in genstream), never lost.
   */
  private async sendNow(records: readonly OutboundRecord[]): Promise<void> {
    // Copies, since the partitioner pins the partition on each message.
    let pending = records.map(({ topic, message }) => ({ topic, message: { ...message } }));
    const deadline = Date.now() + this.settings.acknowledgeTimeoutMs;
    for (let attempt = 0; pending.length > 0; attempt++) {
      this.metrics.sendRequests.inc();
      try {
        if (this.stale) await this.replaceProducer();
        const answers = await this.producer.sendBatch({ acks: -1, topicMessages: byTopic(pending) });
        const sent = pending.filter((record) => acknowledged(answers, record));
        for (const { topic, messages } of byTopic(sent))
          this.metrics.recordsSent.inc({ topic }, messages.length);
        pending = pending.filter((record) => !sent.includes(record));
        if (pending.length > 0) this.metrics.unacknowledgedResends.inc(pending.length);
      } catch (error) {
        for (const { topic } of pending) this.metrics.sendFailures.inc({ topic });
        if (isSequenceLost(error)) this.stale = true;
        const failure = asSendError(error, pending.length);
        const delay = backoffDelay(attempt, RESEND_BACKOFF);
        if (!(failure instanceof StoreUnavailableError) || Date.now() + delay > deadline) throw failure;
        await sleep(delay);
      }
    }
  }
}

/** Between two attempts of one send: soon at first, at most 2 s apart. */
const RESEND_BACKOFF = { baseMs: 100, maxMs: 2_000 };

function byTopic(records: readonly OutboundRecord[]): { topic: string; messages: Message[] }[] {
  const grouped = new Map<string, Message[]>();
  for (const { topic, message } of records) grouped.set(topic, [...(grouped.get(topic) ?? []), message]);
  return [...grouped].map(([topic, messages]) => ({ topic, messages }));
}

/** Whether the broker's answer covers the record's (pinned) partition without an error. */
function acknowledged(answers: readonly RecordMetadata[], { topic, message }: OutboundRecord): boolean {
  return answers.some(
    (answer) =>
      answer.topicName === topic && answer.partition === message.partition && answer.errorCode === 0,
  );
}

/**
 * kafkajs' Java-compatible default partitioner, which also writes the partition it picks into the
 * message: kafkajs then keeps it on its own retries, and sendNow can check it was acknowledged.
 */
const pinningPartitioner: ICustomPartitioner = () => {
  const choose = Partitioners.DefaultPartitioner();
  return (args) => {
    const partition = choose(args);
    args.message.partition = partition;
    return partition;
  };
};

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
