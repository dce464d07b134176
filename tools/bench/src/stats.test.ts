import { describe, expect, it } from 'vitest';
import { formatRatio, formatSpread, latencyPercentiles, percentile, spreadOf } from './stats.js';

describe('bench statistics', () => {
  it('takes the median and the spread of repeated runs', () => {
    expect(spreadOf([10, 12, 11, 30, 9])).toEqual({
      median: 11,
      min: 9,
      max: 30,
      runs: 5,
      relativeSpread: 10.5 / 11,
    });
    expect(spreadOf([4, 2])).toMatchObject({ median: 3 });
    expect(() => spreadOf([])).toThrow(RangeError);
  });

  it('interpolates percentiles between neighbours', () => {
    const sorted = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile([1, 2], 50)).toBe(1.5);
    expect(latencyPercentiles([5, 1, 3, 2, 4])).toEqual({ p50: 3, p95: 4.8, p99: 4.96 });
  });

  it('formats medians with spread and ratios for tables', () => {
    expect(formatSpread(spreadOf([34_000, 34_059, 36_000]))).toBe('34,059 ±2.9%');
    expect(formatRatio(34_059, 8_079)).toBe('4.22x');
  });
});
