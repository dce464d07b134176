import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  TOPICS,
  createEventCodec,
  type ContentGenerated,
  type ContentIndexed,
  type EventCodec,
  type GenerationFailed,
  type GenerationRequestedInput,
} from '@genstream/events';
import { groupPositions, topicEnds, type PartitionEnd } from '@genstream/kafka';
import { Kafka, logLevel, type Admin, type Consumer, type IHeaders, type Producer } from 'kafkajs';

/** A record as it was on the topic: the bytes, to publish again unchanged (a redelivery). */
export interface RawRecord {
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: IHeaders;
}

export interface Received<E> {
  readonly event: E;
  readonly raw: RawRecord;
  /** Epoch ms when this process got it. */
  readonly receivedAt: number;
}

export type { PartitionEnd } from '@genstream/kafka';

export interface KafkaProbeOptions {
  /** KAFKA_BROKERS: comma-separated host:port. */
  readonly brokers: string;
  /** SCHEMA_REGISTRY_URL, to read records the services wrote with the Confluent framing. */
  readonly registryUrl?: string;
}

/**
 * The pipeline seen from Kafka: publishes GenerationRequested as an upstream producer does (Avro
 * single-object encoding, key = requestId), and reads what the services publish about the requests
 * it tracks (ContentGenerated, GenerationFailed), from its own consumer group.
 */
export class KafkaProbe {
  private readonly generated = new Map<string, Received<ContentGenerated>>();
  private readonly failed = new Map<string, Received<GenerationFailed>>();
  private readonly indexed = new Map<string, Received<ContentIndexed>>();
  private readonly tracked = new Set<string>();
  private readonly undecodable = new Map<string, string>();
  private consumer: Consumer | undefined;

  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
    /** Encodes without a registry (single-object); decodes both framings. */
    readonly codec: EventCodec,
  ) {}

  static async connect(options: KafkaProbeOptions): Promise<KafkaProbe> {
    const kafka = new Kafka({
      clientId: `genstream-probe-${randomUUID().slice(0, 8)}`,
      brokers: options.brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await Promise.all([admin.connect(), producer.connect()]);
    const decoder = createEventCodec(options.registryUrl ? { registry: { url: options.registryUrl } } : {});
    const encoder = createEventCodec();
    const codec: EventCodec = {
      encode: (name, event) => encoder.encode(name, event),
      decode: decoder.decode.bind(decoder),
    };
    return new KafkaProbe(kafka, admin, producer, codec);
  }

  /** Publishes requests (tracked from now on), one send for all of them. */
  async publishRequests(requests: readonly GenerationRequestedInput[]): Promise<void> {
    for (const request of requests) this.tracked.add(request.requestId);
    const messages = await Promise.all(
      requests.map(async (request) => ({
        key: request.requestId,
        value: await this.codec.encode('GenerationRequested', request),
      })),
    );
    await this.producer.send({ topic: TOPICS.GenerationRequested, messages });
  }

  /** Publishes records again exactly as they were (same key, bytes and headers). */
  async republish(topic: string, records: readonly RawRecord[]): Promise<void> {
    await this.producer.send({ topic, messages: records.map((r) => ({ ...r })) });
  }

  /**
   * Starts reading genstream.content.generated, genstream.content.indexed and
   * genstream.generation.failed from the beginning
   * with a group of its own, keeping only records of tracked requests (by key, before decoding).
   * Resolves once the group has its partitions.
   */
  async watch(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `genstream-probe-${randomUUID()}` });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [TOPICS.ContentGenerated, TOPICS.ContentIndexed, TOPICS.GenerationFailed],
      fromBeginning: true,
    });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const requestId = message.key?.toString();
        if (requestId === undefined || !this.tracked.has(requestId) || message.value === null) return;
        const raw: RawRecord = { key: message.key, value: message.value, headers: message.headers ?? {} };
        const receivedAt = Date.now();
        try {
          if (topic === TOPICS.ContentGenerated) {
            const event = await this.codec.decode('ContentGenerated', message.value);
            this.generated.set(requestId, { event, raw, receivedAt });
          } else if (topic === TOPICS.ContentIndexed) {
            const event = await this.codec.decode('ContentIndexed', message.value);
            this.indexed.set(requestId, { event, raw, receivedAt });
          } else {
            const event = await this.codec.decode('GenerationFailed', message.value);
            this.failed.set(requestId, { event, raw, receivedAt });
          }
        } catch (error) {
          this.undecodable.set(requestId, `${topic}: ${(error as Error).message}`);
        }
      },
    });
    await joined;
  }

  /** Also keep records of these requests (e.g. published by the HTTP API). */
  track(requestIds: Iterable<string>): void {
    for (const id of requestIds) this.tracked.add(id);
  }

  contentGenerated(requestId: string): Received<ContentGenerated> | undefined {
    return this.generated.get(requestId);
  }

  generationFailed(requestId: string): Received<GenerationFailed> | undefined {
    return this.failed.get(requestId);
  }

  /** Waits for the ContentGenerated of each request. */
  async waitGenerated(
    requestIds: readonly string[],
    timeoutMs = 60_000,
  ): Promise<Received<ContentGenerated>[]> {
    await this.waitFor(
      () => requestIds.every((id) => this.generated.has(id)),
      timeoutMs,
      () => {
        const missing = requestIds.filter((id) => !this.generated.has(id));
        return `no ContentGenerated for ${missing.length} of ${requestIds.length} requests (${missing.slice(0, 3).join(', ')})`;
      },
    );
    return requestIds.map((id) => this.generated.get(id)!);
  }

  /** Waits for the ContentIndexed of each request (published by the embedding indexer). */
  async waitIndexed(requestIds: readonly string[], timeoutMs = 60_000): Promise<Received<ContentIndexed>[]> {
    await this.waitFor(
      () => requestIds.every((id) => this.indexed.has(id)),
      timeoutMs,
      () =>
        `no ContentIndexed for ${requestIds.filter((id) => !this.indexed.has(id)).length} of ${requestIds.length} requests`,
    );
    return requestIds.map((id) => this.indexed.get(id)!);
  }

  async waitFailed(requestId: string, timeoutMs = 60_000): Promise<Received<GenerationFailed>> {
    await this.waitFor(
      () => this.failed.has(requestId) || this.generated.has(requestId),
      timeoutMs,
      () => `no GenerationFailed for ${requestId}`,
    );
    const failed = this.failed.get(requestId);
    if (!failed)
      throw new Error(`request ${requestId} was answered with ContentGenerated, not GenerationFailed`);
    return failed;
  }

  /** Where each partition of `topic` ends now (`high`: the offset the next record will get). */
  async topicEnds(topic: string): Promise<PartitionEnd[]> {
    return askAgainWhileStarting(() => topicEnds(this.admin, topic));
  }

  /**
   * Waits until each consumer group has committed everything on `topic` up to its current end (or
   * up to `upTo`, ends taken earlier): every record published by then has been handled, and its
   * writes accepted, by each group.
   */
  async waitGroupsCaughtUp(
    groupIds: readonly string[],
    topic: string,
    timeoutMs = 60_000,
    upTo?: readonly PartitionEnd[],
  ): Promise<void> {
    const ends = upTo ?? (await this.topicEnds(topic));
    const behind = async () => {
      const lagging: string[] = [];
      for (const groupId of groupIds) {
        for (const { partition, behind } of await groupPositions(this.admin, groupId, topic, ends)) {
          if (behind > 0n) lagging.push(`${groupId}[${partition}]`);
        }
      }
      return lagging;
    };
    // A broker that has just started answers "coordinator loading" for a while: ask again.
    const behindOrWhy = () => behind().catch((error: Error) => [`(${error.message})`]);
    let lagging = await behindOrWhy();
    const deadline = Date.now() + timeoutMs;
    while (lagging.length > 0) {
      if (Date.now() > deadline)
        throw new Error(`consumer groups not caught up on ${topic}: ${lagging.join(', ')}`);
      await sleep(100);
      lagging = await behindOrWhy();
    }
  }

  private async waitFor(done: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.undecodable.size > 0) {
        throw new Error(`records the probe could not decode: ${[...this.undecodable.values()].join('; ')}`);
      }
      if (Date.now() > deadline) throw new Error(`${why()} within ${timeoutMs / 1000} s`);
      await sleep(20);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A broker that has just (re)started refuses some requests for a few seconds: ask again for up to 30 s. */
async function askAgainWhileStarting<T>(ask: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await ask();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}
