import type { GroupPosition, PartitionEnd } from '@genstream/kafka';

// Progress of a reindex in plain words: records done of the total up to the ends taken at its
// start, records per second over the last few seconds, and the time left at that rate.

export interface Progress {
  readonly done: number;
  readonly total: number;
}

/**
 * Records the group has committed of those between each partition's first offset and its end in
 * `ends`; offsets past an end (content that arrived since) do not count.
 */
export function progressOf(positions: readonly GroupPosition[], ends: readonly PartitionEnd[]): Progress {
  let done = 0;
  let total = 0;
  for (const end of ends) {
    const low = Number(end.low);
    const high = Number(end.high);
    const next = Number(positions.find((p) => p.partition === end.partition)?.next ?? low);
    total += high - low;
    done += Math.min(Math.max(next - low, 0), high - low);
  }
  return { done, total };
}

/** True once the group has committed every record before `ends`, on every partition. */
export function reached(positions: readonly GroupPosition[], ends: readonly PartitionEnd[]): boolean {
  return ends.every((end) => {
    const position = positions.find((p) => p.partition === end.partition);
    return (
      BigInt(end.high) <= BigInt(end.low) || (position !== undefined && position.next >= BigInt(end.high))
    );
  });
}

/** Records per second over a sliding window, and the time left at that rate. */
export class RateMeter {
  private readonly samples: { atMs: number; done: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  record(atMs: number, done: number): void {
    this.samples.push({ atMs, done });
    while (this.samples.length > 2 && atMs - this.samples[1]!.atMs >= this.windowMs) this.samples.shift();
  }

  /** Records per second, undefined until two samples a moment apart. */
  get rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (first === undefined || last === undefined || last.atMs - first.atMs < 500) return undefined;
    return Math.max(0, last.done - first.done) / ((last.atMs - first.atMs) / 1000);
  }

  /** Seconds left for `remaining` records; undefined while the rate is unknown or zero. */
  secondsLeft(remaining: number): number | undefined {
    const rate = this.rate;
    if (remaining <= 0) return 0;
    return rate === undefined || rate === 0 ? undefined : remaining / rate;
  }
}

/** `45 s`, `3 min 20 s`, `2 h 5 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 === 0 ? '' : ` ${s % 60} s`}`;
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes === 0 ? '' : ` ${minutes} min`}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** One progress line, e.g. `v2: 1,200 of 3,000 records (40%), 850 records/s, about 2 s left`. */
export function formatProgress(label: string, progress: Progress, meter: RateMeter): string {
  const { done, total } = progress;
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  const rate = meter.rate;
  const left = meter.secondsLeft(total - done);
  return (
    `${label}: ${count(done)} of ${count(total)} records (${percent}%), ` +
    (rate === undefined ? 'rate not known yet' : `${count(Math.round(rate))} records/s`) +
    (done >= total
      ? ''
      : left === undefined
        ? ', time left not known yet'
        : `, about ${formatDuration(left)} left`)
  );
}
