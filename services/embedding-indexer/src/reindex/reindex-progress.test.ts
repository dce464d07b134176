import { describe, expect, it } from 'vitest';
import { RateMeter, formatDuration, formatProgress, progressOf, reached } from './reindex-progress.js';

const ends = [
  { partition: 0, low: '0', high: '100' },
  { partition: 1, low: '40', high: '60' },
  { partition: 2, low: '5', high: '5' },
];
const at = (...next: number[]) => next.map((n, partition) => ({ partition, next: BigInt(n), behind: 0n }));

describe('progressOf and reached', () => {
  it('counts committed records up to the ends taken at the start, not beyond', () => {
    expect(progressOf(at(0, 40, 5), ends)).toEqual({ done: 0, total: 120 });
    expect(progressOf(at(50, 50, 5), ends)).toEqual({ done: 60, total: 120 });
    // Content that arrived after the start is past the end: it does not count twice.
    expect(progressOf(at(130, 70, 9), ends)).toEqual({ done: 120, total: 120 });
    expect(progressOf([], ends)).toEqual({ done: 0, total: 120 });
    expect(reached(at(100, 59, 5), ends)).toBe(false);
    expect(reached(at(100, 60, 0), ends)).toBe(true);
    expect(reached([], [{ partition: 0, low: '7', high: '7' }])).toBe(true);
  });
});

describe('RateMeter', () => {
  it('measures records per second over its window and the time left at that rate', () => {
    const meter = new RateMeter(10_000);
    meter.record(0, 0);
    expect(meter.rate).toBeUndefined();
    expect(meter.secondsLeft(100)).toBeUndefined();
    meter.record(2_000, 400);
    expect(meter.rate).toBe(200);
    expect(meter.secondsLeft(1_000)).toBe(5);
    expect(meter.secondsLeft(0)).toBe(0);
    // Old samples leave the window: the rate follows the recent pace.
    meter.record(12_000, 500);
    meter.record(14_000, 700);
    expect(meter.rate).toBeCloseTo(25, 5);
  });
});

describe('formatting', () => {
  it('says durations and progress in plain words', () => {
    expect([formatDuration(44.6), formatDuration(200), formatDuration(120), formatDuration(7_500)]).toEqual([
      '45 s',
      '3 min 20 s',
      '2 min',
      '2 h 5 min',
    ]);
    const meter = new RateMeter();
    meter.record(0, 0);
    expect(formatProgress('v2', { done: 0, total: 3000 }, meter)).toBe(
      'v2: 0 of 3,000 records (0%), rate not known yet, time left not known yet',
    );
    meter.record(1_000, 1_200);
    expect(formatProgress('v2', { done: 1_200, total: 3000 }, meter)).toBe(
      'v2: 1,200 of 3,000 records (40%), 1,200 records/s, about 2 s left',
    );
    expect(formatProgress('v2', { done: 3000, total: 3000 }, meter)).toBe(
      'v2: 3,000 of 3,000 records (100%), 1,200 records/s',
    );
  });
});
