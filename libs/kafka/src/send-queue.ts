import { DependencyTimeoutError } from '@genstream/errors';
import type { Message } from 'kafkajs';

export interface OutboundRecord {
  readonly topic: string;
  readonly message: Message;
}

export interface SendQueueSettings {
  readonly lingerMs: number;
  readonly maxBatchRecords: number;
  readonly acknowledgeTimeoutMs: number;
}

interface Waiter {
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

interface Pending {
  readonly record: OutboundRecord;
  readonly waiter: Waiter;
}

/**
 * Coalesces records from concurrent callers into few produce requests, like the Java producer's
 * linger.ms: the first record waits up to `lingerMs` for company, a full batch leaves at once, and
 * records arriving while a request is in flight leave together right after it. Exactly one request
 * is in flight at a time, which is what the idempotent producer's ordering guarantee rests on,
 * and under load it makes batches grow by themselves. Each caller's promise settles when all of its
 * own records are acknowledged (or its request failed, or it waited too long).
 */
export class SendQueue {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly send: (records: readonly OutboundRecord[]) => Promise<void>,
    private readonly settings: SendQueueSettings,
  ) {}

  enqueue(records: readonly OutboundRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        remaining: records.length,
        settled: false,
        resolve,
        reject,
        timer: setTimeout(() => {
          settle(
            waiter,
            new DependencyTimeoutError(
              `Kafka did not acknowledge ${records.length} record(s) within ${this.settings.acknowledgeTimeoutMs} ms`,
            ),
          );
        }, this.settings.acknowledgeTimeoutMs),
      };
      for (const record of records) this.pending.push({ record, waiter });
      this.schedule();
    });
  }

  /** Sends everything queued now and waits until nothing is left in flight (for shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight || this.pending.length > 0) {
      if (!this.inFlight) this.flush();
      await this.inFlight;
    }
  }

  private schedule(): void {
    // The request in flight flushes whatever accumulated when it completes.
    if (this.inFlight) return;
    if (this.pending.length >= this.settings.maxBatchRecords) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), this.settings.lingerMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Records of callers that already gave up (timed out, or another of their records failed)
    // are not sent: their caller was told they failed.
    this.pending = this.pending.filter((item) => !item.waiter.settled);
    const batch = this.pending.splice(0, this.settings.maxBatchRecords);
    if (batch.length === 0) return;
    this.inFlight = this.send(batch.map((item) => item.record)).then(
      () => {
        for (const { waiter } of batch) {
          waiter.remaining -= 1;
          if (waiter.remaining === 0) settle(waiter);
        }
      },
      (error: unknown) => {
        for (const { waiter } of batch) settle(waiter, error);
      },
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      if (this.pending.length > 0) this.flush();
    });
  }
}

function settle(waiter: Waiter, error?: unknown): void {
  if (waiter.settled) return;
  waiter.settled = true;
  clearTimeout(waiter.timer);
  if (error === undefined) waiter.resolve();
  else waiter.reject(error);
}
