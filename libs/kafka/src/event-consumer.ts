import { backoffCeiling, sleep } from '@genstream/errors';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { BatchHandler } from './batch-outcome.js';
import { BatchProcessor } from './batch-processor.js';
import type { EventDecoder, EventMap, EventNameOf, TopicMap } from './codec.js';
import type { ConsumedRecordOf } from './consumed-record.js';
import { ConsumerHealthTracker, type ConsumerHealth } from './consumer-health.js';
import type { DeadLetterWriter } from './dead-letter-writer.js';
import { groupPositions } from './group-offsets.js';
import type { Logger } from './logger.js';
import type { KafkaMetrics } from './metrics.js';
import type { ConsumerSettings } from './options.js';
import { RetryScheduler } from './retry-scheduler.js';
import { StallWatchdog, keyOf, type TopicPartition } from './stall-watchdog.js';

/** What a service supplies to consume: which events, and the batch handler. */
export interface ConsumerRegistration<M extends EventMap, N extends EventNameOf<M>> {
  readonly events: readonly N[];
  readonly handler: BatchHandler<ConsumedRecordOf<M, N>>;
  /** The consumer group; by default the service name (one group per service). */
  readonly groupId?: string;
  readonly settings?: Partial<ConsumerSettings>;
}

export interface EventConsumerDeps<M extends EventMap> {
  readonly kafka: Kafka;
  readonly codec: EventDecoder<M>;
  readonly topics: TopicMap<M>;
  readonly deadLetters: DeadLetterWriter;
  readonly metrics: KafkaMetrics;
  readonly logger: Logger;
  readonly groupId: string;
  readonly settings: ConsumerSettings;
}

/** Waits between attempts to get back into the group: 1 s, doubling, at most 10 s (no jitter: one member). */
const REJOIN_BACKOFF = { baseMs: 1_000, maxMs: 10_000 };

/**
 * One consumer group member running a batch handler: kafkajs eachBatch with automatic commits and
 * automatic offset resolution off, so offsets move only when BatchProcessor says a record is done.
 */
export class EventConsumer<M extends EventMap, N extends EventNameOf<M>> {
  readonly groupId: string;
  private readonly consumer: Consumer;
  private readonly retries: RetryScheduler;
  private readonly processor: BatchProcessor<M, N>;
  private readonly tracker: ConsumerHealthTracker;
  private readonly eventByTopic: Map<string, N>;
  private readonly watchdog: StallWatchdog;
  private watchTimer: NodeJS.Timeout | undefined;
  private admin: Admin | undefined;
  private stopping = false;

  constructor(
    registration: ConsumerRegistration<M, N>,
    private readonly deps: EventConsumerDeps<M>,
  ) {
    const { settings, kafka, metrics, groupId } = deps;
    this.groupId = groupId;
    this.eventByTopic = new Map(registration.events.map((name) => [deps.topics[name], name]));
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      maxWaitTimeInMs: settings.maxWaitMs,
      minBytes: settings.minBytes,
      maxBytes: settings.maxBytes,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      allowAutoTopicCreation: false,
    });
    this.tracker = new ConsumerHealthTracker(groupId, [...this.eventByTopic.keys()]);
    this.tracker.follow(this.consumer);
    this.retries = new RetryScheduler(
      {
        pause: (topic, partition) =>
          this.whileRunning(() => this.consumer.pause([{ topic, partitions: [partition] }])),
        resume: (topic, partition) => {
          this.whileRunning(() => this.consumer.resume([{ topic, partitions: [partition] }]));
          this.watchdog.resumed(topic, partition);
        },
      },
      settings.retryBackoff,
      (paused) => {
        this.tracker.pausedPartitions = paused;
        metrics.pausedPartitions.set({ group: groupId }, paused);
      },
    );
    this.watchdog = new StallWatchdog(
      {
        now: Date.now,
        backlog: (partitions) => this.backlog(partitions),
        isPaused: (topic, partition) => this.retries.isWaiting(topic, partition),
        restart: (stalled) => this.rejoin(stalled),
      },
      settings.stallAfterMs,
    );
    this.followAssignments();
    this.processor = new BatchProcessor<M, N>({
      groupId,
      codec: deps.codec,
      eventOfTopic: (topic) => this.eventByTopic.get(topic)!,
      handler: registration.handler,
      deadLetters: deps.deadLetters,
      retries: this.retries,
      seek: (topic, partition, offset) =>
        this.whileRunning(() => this.consumer.seek({ topic, partition, offset })),
      metrics,
      logger: deps.logger,
      maxBatchRecords: settings.maxBatchRecords,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
    });
  }

  /** The topics this consumer reads. */
  get topics(): string[] {
    return [...this.eventByTopic.keys()];
  }

  /** kafkajs' consumer, for instrumentation events (e.g. counting group joins in tests). */
  get kafkaConsumer(): Consumer {
    return this.consumer;
  }

  async start(): Promise<void> {
    this.tracker.moveTo('connecting');
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: this.deps.settings.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.deps.settings.partitionsConsumedConcurrently,
      eachBatch: async (payload) => {
        // Tracked here rather than from kafkajs' batch events: it sends no end event for a batch
        // that threw, which would leave the partition "in flight" and the watchdog blind.
        const { topic, partition } = payload.batch;
        this.watchdog.batchStarted(topic, partition);
        try {
          await this.processor.process(payload);
        } finally {
          this.watchdog.batchEnded(topic, partition);
        }
      },
    });
    this.deps.logger.info('consumer started', { groupId: this.groupId, topics: this.topics });
    this.watchStalls();
  }

  /**
   * Finishes the slice in flight (its commit included), leaves the group so its partitions move
   * to other members at once instead of after sessionTimeout, and disconnects.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchTimer);
    this.tracker.moveTo('stopping');
    this.retries.cancelAll();
    await this.consumer.disconnect();
    await this.admin?.disconnect();
    this.tracker.moveTo('stopped');
  }

  /**
   * kafkajs throws from pause/resume/seek between runs (stopping, rejoining). A retry timer may fire
   * then; the next run starts from the committed offsets anyway, so the call is simply not needed.
   */
  private whileRunning(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.deps.logger.debug('partition control skipped: consumer not running', {
        groupId: this.groupId,
        error: String(error),
      });
    }
  }

  private followAssignments(): void {
    const { events } = this.consumer;
    this.consumer.on(events.GROUP_JOIN, ({ payload }) => {
      this.watchdog.assign(
        Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => ({ topic, partition })),
        ),
      );
    });
    // Between assignments (rebalancing, crashed and restarting, stopped) nothing is expected to
    // move: the watchdog waits for the next GROUP_JOIN.
    const unassign = () => this.watchdog.assign([]);
    for (const event of [events.REBALANCING, events.CRASH, events.STOP, events.DISCONNECT]) {
      this.consumer.on(event, unassign);
    }
  }

  private watchStalls(): void {
    const stallAfterMs = this.deps.settings.stallAfterMs;
    if (stallAfterMs <= 0 || this.watchTimer) return;
    this.watchTimer = setInterval(
      () => {
        this.watchdog.check().catch((error: unknown) =>
          // Cannot tell (the broker may be away): the next check asks again.
          this.deps.logger.debug('stall check failed', { groupId: this.groupId, error: String(error) }),
        );
      },
      Math.min(5_000, Math.max(100, stallAfterMs / 4)),
    );
    this.watchTimer.unref();
  }

  /** Records of this group not yet committed, per partition (end offset - committed offset). */
  private async backlog(partitions: readonly TopicPartition[]): Promise<Map<string, bigint>> {
    if (!this.admin) {
      const admin = this.deps.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const backlog = new Map<string, bigint>();
    for (const topic of new Set(partitions.map((tp) => tp.topic))) {
      for (const { partition, behind } of await groupPositions(this.admin, this.groupId, topic)) {
        backlog.set(keyOf({ topic, partition }), behind);
      }
    }
    return backlog;
  }

  /** Leaves the group and joins again: kafkajs then fetches every partition from its committed offset. */
  private async rejoin(stalled: readonly TopicPartition[]): Promise<void> {
    if (this.stopping) return;
    for (const { topic } of stalled) this.deps.metrics.stalls.inc({ topic, group: this.groupId });
    this.deps.logger.warn('partitions stalled with records waiting; rejoining the group', {
      groupId: this.groupId,
      partitions: stalled.map(keyOf),
    });
    this.retries.cancelAll();
    await this.consumer.disconnect();
    // Out of the group now: keep trying to get back in (the broker may be away), never give up.
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        this.deps.logger.warn('rejoining the group failed; trying again', {
          groupId: this.groupId,
          error: String(error),
        });
        await sleep(backoffCeiling(attempt, REJOIN_BACKOFF));
      }
    }
  }

  health(): ConsumerHealth {
    return this.tracker.report();
  }
}
