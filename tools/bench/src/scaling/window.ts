// Which stretch of a drain counts: from the first sample that sees the group Stable with exactly
// its instances as members (after the gate has left, see gate.ts) to the first sample that sees
// every record committed.

/** One look at the consumer group: its commits summed over the partitions, and its state. */
export interface GroupSample {
  /** Epoch ms the answer came back. */
  readonly at: number;
  readonly committed: number;
  readonly members: number;
  /** Kafka's group state is Stable (no rebalance in progress). */
  readonly stable: boolean;
}

export interface ConsumptionWindow {
  /** Indexes of the samples that open and close it. */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startAt: number;
  readonly endAt: number;
  readonly windowMs: number;
  readonly recordsInWindow: number;
  readonly committedBeforeWindow: number;
  readonly recordsPerSecond: number;
  /** False: the group was never Stable with every instance before the end; the window then starts at the first join. */
  readonly steady: boolean;
}

/**
 * The measured window of a drain of `total` records by `instances` instances, from its samples:
 * it closes at the first sample with every record committed, or `maxWindowMs` after it opened
 * (a slow writer is measured on part of the backlog), whichever comes first.
 */
export function consumptionWindow(
  samples: readonly GroupSample[],
  total: number,
  instances: number,
  maxWindowMs = Number.POSITIVE_INFINITY,
): ConsumptionWindow {
  const done = samples.findIndex((sample) => sample.committed >= total);
  let start = samples.findIndex(
    (sample, i) => sample.stable && sample.members === instances && (done < 0 || i < done),
  );
  const steady = start >= 0;
  if (!steady)
    start = Math.max(
      0,
      samples.findIndex((sample) => sample.members > 0),
    );
  const opened = samples[start];
  const end = samples.findIndex(
    (sample, i) => i > start && (sample.committed >= total || sample.at - (opened?.at ?? 0) >= maxWindowMs),
  );
  if (opened === undefined || end < 0) {
    throw new Error(`the group neither committed all ${total} records nor ran for ${maxWindowMs} ms`);
  }
  const last = samples[end]!;
  const windowMs = Math.max(1, last.at - opened.at);
  const recordsInWindow = Math.min(total, last.committed) - opened.committed;
  return {
    startIndex: start,
    endIndex: end,
    startAt: opened.at,
    endAt: last.at,
    windowMs,
    recordsInWindow,
    committedBeforeWindow: opened.committed,
    recordsPerSecond: recordsInWindow / (windowMs / 1000),
    steady,
  };
}

/** Whether the samples so far close the window (see consumptionWindow). */
export function windowClosed(
  samples: readonly GroupSample[],
  total: number,
  instances: number,
  maxWindowMs: number,
): boolean {
  try {
    consumptionWindow(samples, total, instances, maxWindowMs);
    return true;
  } catch {
    return false;
  }
}
