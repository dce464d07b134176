/** Summary of repeated measurements: the median and how far the runs spread around it. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  /** Half the min..max range as a fraction of the median: ±0.05 means the runs stayed within 5 %. */
  readonly relativeSpread: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('no values to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const min = sorted[0]!;
  const max = sorted.at(-1)!;
  return {
    median,
    min,
    max,
    runs: values.length,
    relativeSpread: median === 0 ? 0 : (max - min) / 2 / median,
  };
}

/** The p-th percentile (0..100) of values already sorted ascending, interpolated between neighbours. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Latency percentiles of one run, in the unit given. */
export function latencyPercentiles(values: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** "34,059 ±5.7%": a median with its spread, for tables. */
export function formatSpread(spread: Spread, digits = 0): string {
  const value = spread.median.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
  return `${value} ±${(spread.relativeSpread * 100).toFixed(1)}%`;
}

/** "4.21x": how many times `candidate` is `baseline`. */
export function formatRatio(candidate: number, baseline: number): string {
  return `${(candidate / baseline).toFixed(2)}x`;
}
