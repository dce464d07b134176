import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS, createEventCodec, type GenerationRequested } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';

export interface StreamOptions {
  /** KAFKA_BROKERS. */
  readonly brokers: string;
  /** Requests in all. */
  readonly total: number;
  readonly perSecond: number;
  /** Every n-th request violates the contract (empty prompt or unknown model); 0: none. */
  readonly invalidEvery?: number;
  /** A short word naming the case, in titles and prompts (handy when reading the stores). */
  readonly tag: string;
}

const TICK_MS = 100;

/**
 * An upstream producer: publishes GenerationRequested at a steady rate, as Avro, key = requestId.
 * Like a careful producer it loses nothing when the broker is away: a send that fails is retried
 * with the same records until it succeeds (a retry may publish a request twice, which the
 * pipeline must absorb: the contentId derives from the requestId).
 */
export class RequestStream {
  readonly valid: GenerationRequested[] = [];
  readonly invalid: GenerationRequested[] = [];
  private sent = 0;
  private failedSends = 0;
  private lastError: string | undefined;
  private running: Promise<void> | undefined;

  private constructor(
    private readonly producer: Producer,
    private readonly options: StreamOptions,
    private readonly requests: readonly GenerationRequested[],
  ) {
    const every = options.invalidEvery ?? 0;
    requests.forEach((request, i) => (isInvalid(i, every) ? this.invalid : this.valid).push(request));
  }

  static async open(options: StreamOptions): Promise<RequestStream> {
    const kafka = new Kafka({
      clientId: `genstream-faults-${options.tag}`,
      brokers: options.brokers.split(','),
      logLevel: logLevel.NOTHING,
      // A quick give-up per send: the stream retries the whole send itself, and keeps count.
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    // One attempt per send, no kafkajs retry: kafkajs' retry skips every broker that answered an
    // earlier attempt, so the records of a partition whose leader moved to one of those would be
    // dropped with the send reported done (see libs/kafka's RecordProducer). The stream retries
    // whole sends itself; without kafkajs retries, idempotence (which needs them) is off.
    const producer = kafka.producer({ idempotent: false, maxInFlightRequests: 1, retry: { retries: 0 } });
    await producer.connect();
    return new RequestStream(producer, options, buildRequests(options));
  }

  /** Requests published (acknowledged by the broker) so far. */
  get published(): number {
    return this.sent;
  }

  /** Sends that failed and were tried again (e.g. while the broker was stopped). */
  get retriedSends(): number {
    return this.failedSends;
  }

  get all(): readonly GenerationRequested[] {
    return this.requests;
  }

  /** Starts publishing; resolves when every request has been acknowledged. */
  start(): Promise<void> {
    this.running ??= this.publishAll();
    return this.running;
  }

  /** Waits until at least `count` requests are published. */
  async reached(count: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sent < Math.min(count, this.requests.length)) {
      if (Date.now() > deadline) {
        throw new Error(
          `the stream published ${this.sent} of ${count} requests within ${timeoutMs / 1000} s` +
            (this.lastError ? ` (last send error: ${this.lastError})` : ''),
        );
      }
      await sleep(20);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private async publishAll(): Promise<void> {
    const codec = createEventCodec();
    const perTick = Math.max(1, Math.round((this.options.perSecond * TICK_MS) / 1000));
    const started = Date.now();
    for (let from = 0, tick = 1; from < this.requests.length; from += perTick, tick += 1) {
      const batch = this.requests.slice(from, from + perTick);
      const messages = await Promise.all(
        batch.map(async (request) => ({
          key: request.requestId,
          value: await codec.encode('GenerationRequested', request),
        })),
      );
      await this.sendUntilAccepted(messages);
      this.sent += batch.length;
      // Keeps the rate; after an outage it catches up at once, as a backlogged producer would.
      await sleep(Math.max(0, started + tick * TICK_MS - Date.now()));
    }
  }

  private async sendUntilAccepted(messages: { key: string; value: Buffer }[]): Promise<void> {
    for (;;) {
      try {
        await this.producer.send({ topic: TOPICS.GenerationRequested, messages });
        return;
      } catch (error) {
        this.failedSends += 1;
        this.lastError = (error as Error).message;
        await sleep(500);
      }
    }
  }
}

function isInvalid(index: number, every: number): boolean {
  return every > 0 && index % every === every - 1;
}

const SUBJECTS = [
  'the harbour crane inspection',
  'the night bus timetable',
  'the school roof repair',
  'the river water samples',
  'the library e-book loans',
  'the wind farm maintenance',
  'the hospital parking permits',
  'the bridge paint survey',
];

/** Distinct prompts (so distinct cache keys), a few dozen users, every n-th request invalid. */
function buildRequests(options: StreamOptions): GenerationRequested[] {
  const run = randomUUID().slice(0, 8);
  const userBase = 1_000 + Math.floor(Math.random() * 1_000_000) * 100;
  const every = options.invalidEvery ?? 0;
  return Array.from({ length: options.total }, (_, i) => {
    const subject = SUBJECTS[i % SUBJECTS.length]!;
    const request = aGenerationRequested({
      userId: userBase + (i % 40),
      title: `${options.tag} ${run} #${i}: ${subject}`,
      prompt:
        `Write a short update on ${subject} for case ${options.tag}-${run}-${i}. ` +
        `The team logged ${(i * 37) % 997} findings and closed ${(i * 13) % 89} of them this week. ` +
        'Mention what remains open and who to contact. Keep it under sixty words.',
      requestedAt: Date.now(),
      correlationId: randomUUID(),
    });
    if (!isInvalid(i, every)) return request;
    // Alternating kinds of contract violations: both must end in generation.failed, not a store.
    return Math.floor(i / every) % 2 === 0
      ? { ...request, prompt: '' }
      : { ...request, model: 'no-such-model' };
  });
}
