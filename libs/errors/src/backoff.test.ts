import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from './backoff.js';

const options = { baseMs: 100, maxMs: 5_000 };

describe('backoff with full jitter', () => {
  it('doubles the ceiling per attempt up to the maximum', () => {
    expect([0, 1, 2, 3, 5, 6, 50, 5000].map((attempt) => backoffCeiling(attempt, options))).toEqual([
      100, 200, 400, 800, 3_200, 5_000, 5_000, 5_000,
    ]);
  });

  it('draws below a ceiling that doubles with each retry up to the maximum', () => {
    const small = { baseMs: 100, maxMs: 1_000 };
    const almostOne = () => 0.999999;
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, small, almostOne))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, small, () => 0)).toBe(0);
    expect(backoffDelay(3, small, () => 0.5)).toBe(400);
  });

  it('draws every delay from [0, ceiling)', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = backoffCeiling(attempt, options);
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('spans the whole range rather than clustering (jitter is full, not partial)', () => {
    expect(backoffDelay(4, options, () => 0)).toBe(0);
    expect(backoffDelay(4, options, () => 0.999_999)).toBe(1_599);
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(3, options));
    expect(Math.min(...delays)).toBeLessThan(80);
    expect(Math.max(...delays)).toBeGreaterThan(720);
  });

  it('treats a negative attempt as the first one', () => {
    expect(backoffCeiling(-3, options)).toBe(100);
  });
});
