import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryScheduler } from './retry-scheduler.js';

describe('RetryScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup() {
    const events: string[] = [];
    const paused: number[] = [];
    const scheduler = new RetryScheduler(
      {
        pause: (topic, partition) => events.push(`pause ${topic}/${partition}`),
        resume: (topic, partition) => events.push(`resume ${topic}/${partition}`),
      },
      { baseMs: 100, maxMs: 1_000 },
      (count) => paused.push(count),
    );
    return { scheduler, events, paused };
  }

  it('pauses at once and resumes after the backoff, without polling in between', () => {
    const { scheduler, events, paused } = setup();
    const delay = scheduler.pauseAndRetryLater('t', 0);
    expect(delay).toBeLessThan(100);
    expect(events).toEqual(['pause t/0']);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(delay);
    expect(events).toEqual(['pause t/0', 'resume t/0']);
    expect(paused).toEqual([1, 0]);
  });

  it('grows the backoff ceiling per consecutive failure of a partition, and resets on success', () => {
    const { scheduler } = setup();
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const delays = Array.from({ length: 6 }, () => scheduler.pauseAndRetryLater('t', 1));
    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
    expect(scheduler.attemptsOf('t', 1)).toBe(6);
    expect(scheduler.pauseAndRetryLater('t', 2)).toBe(99);
    scheduler.succeeded('t', 1);
    expect(scheduler.pauseAndRetryLater('t', 1)).toBe(99);
    random.mockRestore();
  });

  it('cancels pending resumes on stop', () => {
    const { scheduler, events } = setup();
    scheduler.pauseAndRetryLater('t', 0);
    scheduler.cancelAll();
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual(['pause t/0']);
  });
});
