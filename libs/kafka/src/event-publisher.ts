import type { IHeaders, Message } from 'kafkajs';
import type { EventEncoder, EventMap, EventNameOf, TopicMap } from './codec.js';
import type { RecordProducer } from './record-producer.js';
import { injectTraceContext, tracingOn } from './tracing.js';

export interface PublishOptions {
  /** Overrides the record key (by default the event's request id); null for no key. */
  readonly key?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Publishes typed events: encodes them with the codec and hands them to the shared idempotent
 * producer, whose queue merges concurrent calls into one request. Each promise resolves when
 * Kafka acknowledged that call's records, so an HTTP handler can publish one event per request
 * and still get batched throughput.
 */
export class EventPublisher<I extends EventMap> {
  constructor(
    private readonly codec: EventEncoder<I>,
    private readonly topics: TopicMap<I>,
    private readonly keyOf: (event: I[keyof I]) => string | undefined,
    private readonly producer: RecordProducer,
  ) {}

  /** Rejects with InvalidEventError (nothing sent) when the event breaks its schema. */
  async publish<N extends EventNameOf<I>>(name: N, event: I[N], options: PublishOptions = {}): Promise<void> {
    const message = await this.toMessage(name, event, options);
    await this.producer.send([{ topic: this.topics[name], message }]);
  }

  /** Every event is encoded before any is sent: one invalid event fails the call and sends nothing. */
  async publishMany<N extends EventNameOf<I>>(
    name: N,
    events: readonly I[N][],
    options: Omit<PublishOptions, 'key'> = {},
  ): Promise<void> {
    const messages = await Promise.all(events.map((event) => this.toMessage(name, event, options)));
    const topic = this.topics[name];
    await this.producer.send(messages.map((message) => ({ topic, message })));
  }

  private async toMessage<N extends EventNameOf<I>>(
    name: N,
    event: I[N],
    { key, headers }: PublishOptions,
  ): Promise<Message> {
    const value = await this.codec.encode(name, event);
    const recordKey = key === undefined ? (this.keyOf(event) ?? null) : key;
    const recordHeaders: Record<string, string> = { ...headers };
    if (tracingOn()) injectTraceContext(recordKey, recordHeaders);
    return {
      key: recordKey,
      value,
      ...(Object.keys(recordHeaders).length > 0 ? { headers: recordHeaders satisfies IHeaders } : {}),
    };
  }
}
