import { describe, expect, it } from 'vitest';
import { consumptionWindow, windowClosed, type GroupSample } from './window.js';

const sample = (at: number, committed: number, members: number, stable = true): GroupSample => ({
  at,
  committed,
  members,
  stable,
});

describe('the measured window of a drain', () => {
  it('opens when the group is Stable with exactly its instances and closes at the last commit', () => {
    const samples = [
      sample(0, 0, 4), // the gate still in the group
      sample(100, 0, 3, false), // rebalancing after it left
      sample(200, 500, 3), // Stable: opens here, 500 already committed
      sample(1_200, 10_000, 3),
      sample(2_200, 20_000, 3),
      sample(2_300, 20_000, 3),
    ];
    expect(consumptionWindow(samples, 20_000, 3)).toEqual({
      startIndex: 2,
      endIndex: 4,
      startAt: 200,
      endAt: 2_200,
      windowMs: 2_000,
      recordsInWindow: 19_500,
      committedBeforeWindow: 500,
      recordsPerSecond: 9_750,
      steady: true,
    });
  });

  it('falls back to the first join when the group was never Stable with every instance', () => {
    const samples = [
      sample(0, 0, 0),
      sample(500, 0, 1, false),
      sample(1_500, 10, 2, false),
      sample(2_500, 10, 2),
    ];
    const window = consumptionWindow(samples, 10, 3);
    expect(window).toMatchObject({ steady: false, startIndex: 1, windowMs: 1_000, recordsPerSecond: 10 });
  });

  it('closes after maxWindowMs when the backlog lasts longer', () => {
    const samples = [
      sample(0, 0, 1),
      sample(1_000, 700, 1),
      sample(2_000, 1_400, 1),
      sample(3_000, 2_100, 1),
    ];
    expect(consumptionWindow(samples, 20_000, 1, 2_000)).toMatchObject({
      endIndex: 2,
      windowMs: 2_000,
      recordsInWindow: 1_400,
      recordsPerSecond: 700,
    });
    expect(windowClosed(samples.slice(0, 2), 20_000, 1, 2_000)).toBe(false);
    expect(windowClosed(samples, 20_000, 1, 2_000)).toBe(true);
  });

  it('refuses a drain that never finished', () => {
    expect(() => consumptionWindow([sample(0, 5, 1)], 10, 1)).toThrow('neither committed all 10');
  });
});
