// genstream under test: a worker publishes the request on Kafka, the five services do the rest.
import { cacheKeys, responseCacheKey } from '@genstream/cache';
import {
  TOPICS,
  createEventCodec,
  type EventInputTypes,
  type EventTypes,
  type GenerationRequested,
} from '@genstream/events';
import { KafkaRuntime, silentLogger } from '@genstream/kafka';
import { STORE_NAMES, cacheKeyRequest, type StoreReader } from '@genstream/launcher';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { chunks } from '../settings.js';
import type { StoreTarget, SystemUnderTest, Tracked } from './system-under-test.js';

export class GenstreamSystem implements SystemUnderTest {
  readonly name = 'genstream';
  readonly target: StoreTarget;
  private readonly unsettled: GenerationRequested[] = [];
  /** Where each request's ContentGenerated is (the first copy, if published twice), and when it was read. */
  private readonly generated = new Map<string, { partition: number; offset: bigint; readAt: number }>();
  private readonly generatedTopic: string;
  private readonly documentWriterGroup: string;
  private tracker: Consumer | undefined;

  private constructor(
    private readonly runtime: KafkaRuntime<EventTypes, EventInputTypes>,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly topicPrefix: string,
    private readonly reader: StoreReader,
  ) {
    const keys = cacheKeys();
    this.generatedTopic = `${topicPrefix}${TOPICS.ContentGenerated}`;
    // The service's consumer group: consumerGroupId() of @genstream/service.
    this.documentWriterGroup = `${topicPrefix}genstream.document-writer`;
    this.target = {
      contentTable: 'ai_generated_content',
      documents: reader.mongo.db(STORE_NAMES.mongoDatabase).collection(STORE_NAMES.mongoCollection),
      statusKey: (requestId) => keys.requestStatus(requestId),
      vectorSet: STORE_NAMES.vectorSet,
      mongoAcknowledged: (items) => this.documentsCommitted(items),
    };
  }

  /** The publisher creates no topics: the generation service creates those it consumes. */
  static async open(
    kafka: Kafka,
    admin: Admin,
    topicPrefix: string,
    brokers: string,
    reader: StoreReader,
  ): Promise<GenstreamSystem> {
    const runtime = new KafkaRuntime<EventTypes, EventInputTypes>({
      service: `bench-throughput-${topicPrefix}`,
      brokers: brokers.split(','),
      codec: createEventCodec(),
      topics: Object.fromEntries(
        Object.entries(TOPICS).map(([name, topic]) => [name, `${topicPrefix}${topic}`]),
      ) as Record<keyof typeof TOPICS, string>,
      topicCreation: false,
      logger: silentLogger,
      kafkaLogLevel: 'error',
    });
    await runtime.start();
    return new GenstreamSystem(runtime, kafka, admin, topicPrefix, reader);
  }

  /**
   * Reads the keys and offsets of genstream.content.generated (no decoding) from a group of its
   * own, so that the document-writer's committed offsets say which documents are written. Call once
   * the services run (they create the topic).
   */
  async startTracking(): Promise<void> {
    const tracker = this.kafka.consumer({
      groupId: `${this.topicPrefix}bench-offsets`,
      maxWaitTimeInMs: 100,
    });
    this.tracker = tracker;
    await tracker.connect();
    await tracker.subscribe({ topic: this.generatedTopic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => tracker.on(tracker.events.GROUP_JOIN, () => resolve()));
    await tracker.run({
      eachBatch: async ({ batch }) => {
        const readAt = Date.now();
        for (const message of batch.messages) {
          const requestId = message.key?.toString();
          if (requestId === undefined || this.generated.has(requestId)) continue;
          this.generated.set(requestId, {
            partition: batch.partition,
            offset: BigInt(message.offset),
            readAt,
          });
        }
      },
    });
    await joined;
  }

  /**
   * The document-writer commits a record only after MongoDB acknowledged its insertMany: a request
   * is written once the group's committed offset on its partition is past its ContentGenerated.
   */
  private async documentsCommitted(items: readonly Tracked[]): Promise<Map<string, number>> {
    const [committed] = await this.admin.fetchOffsets({
      groupId: this.documentWriterGroup,
      topics: [this.generatedTopic],
    });
    const at = Date.now();
    const next = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    const written = new Map<string, number>();
    for (const item of items) {
      const record = this.generated.get(item.requestId);
      if (record !== undefined && record.offset < (next.get(record.partition) ?? -1n)) {
        written.set(item.requestId, at);
      }
    }
    return written;
  }

  generatedAt(requestId: string): number | undefined {
    return this.generated.get(requestId)?.readAt;
  }

  /** Resolves once Kafka acknowledged the request (key = requestId). */
  async handle(request: GenerationRequested): Promise<void> {
    await this.runtime.publisher.publish('GenerationRequested', request);
  }

  async remove(requests: readonly GenerationRequested[], settled: boolean): Promise<void> {
    await this.removeAll(requests);
    // The pipeline may still write some of them: removed again once the services have stopped.
    if (!settled) this.unsettled.push(...requests);
    for (const request of requests) this.generated.delete(request.requestId);
  }

  /** Call after the services have stopped. */
  async close(): Promise<void> {
    try {
      for (const chunk of chunks(this.unsettled, 2_000)) await this.removeAll(chunk);
    } finally {
      await Promise.allSettled([this.runtime.stop(), this.tracker?.disconnect()]);
    }
  }

  /**
   * What the services wrote (StoreReader.removeContent), and the generation service's single-flight
   * result and lock of each request, which would expire within minutes: `genstream:flight:{id}` and
   * `genstream:lock:{id}`, id = the response cache key.
   */
  private async removeAll(requests: readonly GenerationRequested[]): Promise<void> {
    await this.reader.removeContent(requests);
    const flights = requests.flatMap((request) => {
      const id = responseCacheKey(cacheKeyRequest(request)) ?? `request-${request.requestId.toLowerCase()}`;
      return [`genstream:flight:{${id}}`, `genstream:lock:{${id}}`];
    });
    for (const keys of chunks(flights, 1_000)) await this.reader.redis.del(...keys);
  }
}
