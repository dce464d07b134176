import { backoffDelay } from '@genstream/errors';
import type { BackoffOptions } from './options.js';

/** The parts of a kafkajs consumer that pausing a partition needs. */
export interface PartitionControl {
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
}

/**
 * Pauses a partition after a retriable failure and resumes it after a backoff that grows with
 * each consecutive failure of that partition. A paused partition is simply not fetched: kafkajs'
 * loop goes on fetching the others (or sleeps maxWaitMs when none is left) and keeps sending
 * heartbeats, so a long outage neither spins the CPU nor costs the group membership.
 */
export class RetryScheduler {
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly control: PartitionControl,
    private readonly backoff: BackoffOptions,
    private readonly onPausedChange: (paused: number) => void = () => {},
  ) {}

  /** Pauses the partition; returns the delay after which it resumes. */
  pauseAndRetryLater(topic: string, partition: number): number {
    const key = `${topic}|${partition}`;
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    const delay = backoffDelay(attempt, this.backoff);
    clearTimeout(this.timers.get(key));
    this.control.pause(topic, partition);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.onPausedChange(this.timers.size);
      this.control.resume(topic, partition);
    }, delay);
    // A pending retry must not keep a process alive that is otherwise done.
    timer.unref();
    this.timers.set(key, timer);
    this.onPausedChange(this.timers.size);
    return delay;
  }

  /** The partition got through: the next failure starts from the shortest backoff again. */
  succeeded(topic: string, partition: number): void {
    this.attempts.delete(`${topic}|${partition}`);
  }

  /** Paused now, waiting for its backoff to end. */
  isWaiting(topic: string, partition: number): boolean {
    return this.timers.has(`${topic}|${partition}`);
  }

  /** Consecutive failures so far of the partition. */
  attemptsOf(topic: string, partition: number): number {
    return this.attempts.get(`${topic}|${partition}`) ?? 0;
  }

  /** On stop: no partition is resumed on a consumer that is going away. */
  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.onPausedChange(0);
  }
}
