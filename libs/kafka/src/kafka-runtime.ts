import { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import type { EventCodec, EventMap, EventNameOf, TopicMap } from './codec.js';
import type { ConsumerHealth } from './consumer-health.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import { EventConsumer, type ConsumerRegistration } from './event-consumer.js';
import { EventPublisher } from './event-publisher.js';
import { errorText, jsonLogger, kafkajsLevel, kafkajsLogCreator, type Logger } from './logger.js';
import { KafkaMetrics } from './metrics.js';
import {
  DEFAULT_CONSUMER,
  DEFAULT_PRODUCER,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_TOPIC_CREATION,
  defaultDeadLetterTopic,
  defaultKeyOf,
  type ConsumerSettings,
  type KafkaRuntimeOptions,
} from './options.js';
import { RecordProducer } from './record-producer.js';
import { finishesWithin } from './shutdown.js';
import { ensureTopics } from './topics.js';

export interface RuntimeHealth {
  readonly healthy: boolean;
  readonly service: string;
  readonly producer: { readonly connected: boolean };
  readonly consumers: readonly ConsumerHealth[];
}

/**
 * Everything Kafka of one service process: one client, one idempotent producer (events and dead
 * letters), the consumers the service registered, their metrics and health. Plain class: the Nest
 * module only wires it into a Nest application.
 */
export class KafkaRuntime<M extends EventMap, I extends EventMap = M> {
  readonly service: string;
  readonly registry: Registry;
  readonly metrics: KafkaMetrics;
  readonly logger: Logger;
  private readonly kafka: Kafka;
  readonly publisher: EventPublisher<I>;
  private readonly producer: RecordProducer;
  private readonly deadLetters: DeadLetterWriter;
  private readonly consumers: EventConsumer<M, EventNameOf<M>>[] = [];
  private readonly deadLetterTopic: (topic: string) => string;
  private readonly topics: TopicMap<M>;
  private readonly codec: EventCodec<M, I>;
  private state: 'created' | 'starting' | 'started' | 'stopped' = 'created';
  private stopping: Promise<boolean> | undefined;

  constructor(private readonly options: KafkaRuntimeOptions<M, I>) {
    this.service = options.service;
    this.logger = options.logger ?? jsonLogger('info');
    this.registry = options.registry ?? new Registry();
    this.metrics = new KafkaMetrics(this.registry);
    this.topics = options.topics;
    this.codec = options.codec;
    this.deadLetterTopic = options.deadLetterTopic ?? defaultDeadLetterTopic;
    this.kafka = new Kafka({
      clientId: options.service,
      brokers: [...options.brokers],
      logLevel: kafkajsLevel(options.kafkaLogLevel ?? 'warn'),
      logCreator: kafkajsLogCreator(this.logger),
    });
    this.producer = new RecordProducer(
      this.kafka,
      { ...DEFAULT_PRODUCER, ...options.producer },
      this.metrics,
    );
    this.publisher = new EventPublisher<I>(
      options.codec,
      // The same names key both maps: events as encoded and as decoded.
      options.topics as unknown as TopicMap<I>,
      options.keyOf ?? defaultKeyOf,
      this.producer,
    );
    this.deadLetters = new DeadLetterWriter(this.producer, options.service, this.deadLetterTopic);
  }

  /** Registers a batch consumer; call before start(). */
  consume<N extends EventNameOf<M>>(registration: ConsumerRegistration<M, N>): EventConsumer<M, N> {
    if (this.state !== 'created') throw new Error('register consumers before the Kafka runtime starts');
    if (registration.events.length === 0) throw new Error('a consumer needs at least one event');
    const settings: ConsumerSettings = {
      ...DEFAULT_CONSUMER,
      ...this.options.consumer,
      ...registration.settings,
    };
    const consumer = new EventConsumer<M, N>(registration, {
      kafka: this.kafka,
      codec: this.codec,
      topics: this.topics,
      deadLetters: this.deadLetters,
      metrics: this.metrics,
      logger: this.logger,
      groupId: registration.groupId ?? this.service,
      settings,
    });
    this.consumers.push(consumer as unknown as EventConsumer<M, EventNameOf<M>>);
    return consumer;
  }

  /** Ensures the topics (and their dead-letter topics), connects the producer, starts the consumers. */
  async start(): Promise<void> {
    if (this.state !== 'created') return;
    this.state = 'starting';
    if (this.options.topicCreation !== false) {
      const creation = { ...DEFAULT_TOPIC_CREATION, ...this.options.topicCreation };
      const topics = Object.values<string>(this.topics);
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const created = await ensureTopics(admin, [...topics, ...topics.map(this.deadLetterTopic)], creation);
        if (created.length > 0) this.logger.info('topics created', { topics: created });
      } finally {
        await admin.disconnect();
      }
    }
    await this.producer.start();
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    this.state = 'started';
  }

  /**
   * Consumers first (each finishes its slice in flight, commits and leaves its group), then the
   * producer (sends what is queued). Bounded by shutdownTimeoutMs; resolves false when it had to
   * give up waiting, in which case uncommitted records are simply read again by the next owner.
   */
  stop(): Promise<boolean> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  health(): RuntimeHealth {
    const consumers = this.consumers.map((consumer) => consumer.health());
    const connected = this.producer.isConnected;
    return {
      healthy: this.state === 'started' && connected && consumers.every((consumer) => consumer.healthy),
      service: this.service,
      producer: { connected },
      consumers,
    };
  }

  private async stopAll(): Promise<boolean> {
    this.state = 'stopped';
    const timeoutMs = this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const started = Date.now();
    const work = (async () => {
      await Promise.all(this.consumers.map((consumer) => consumer.stop()));
      await this.producer.stop();
    })();
    const clean = await finishesWithin(work, timeoutMs).catch((error: unknown) => {
      this.logger.error('stopping the Kafka runtime failed', { error: errorText(error) });
      return false;
    });
    if (clean) this.logger.info('Kafka runtime stopped', { ms: Date.now() - started });
    else
      this.logger.error('Kafka runtime did not stop cleanly in time; uncommitted records are read again', {
        timeoutMs,
      });
    return clean;
  }
}
