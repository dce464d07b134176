/** A partition of a topic, as the watchdog names it. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface StallWatchdogDeps {
  readonly now: () => number;
  /** Records the group has on the partition and has not committed yet (end offset - committed). */
  readonly backlog: (partitions: readonly TopicPartition[]) => Promise<Map<string, bigint>>;
  /** Paused on purpose (a retry backoff): not stalled, just waiting. */
  readonly isPaused: (topic: string, partition: number) => boolean;
  /** Leaves and joins the group again, so kafkajs starts afresh from the committed offsets. */
  readonly restart: (stalled: readonly TopicPartition[]) => Promise<void>;
}

export const keyOf = ({ topic, partition }: TopicPartition): string => `${topic}|${partition}`;

/**
 * Catches a partition kafkajs has silently stopped fetching: assigned to this member, not paused,
 * no batch for `stallAfterMs`, yet records are waiting. Seen after a broker restart in a consumer
 * that had paused, sought and resumed a partition while the broker was away: the member stays
 * healthy and heartbeats, and the partition never moves again. Rejoining the group cures it.
 */
export class StallWatchdog {
  private readonly lastProgress = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private assigned: TopicPartition[] = [];
  private checking = false;

  constructor(
    private readonly deps: StallWatchdogDeps,
    private readonly stallAfterMs: number,
  ) {}

  /** A new assignment: each partition gets a fresh `stallAfterMs` to show progress. */
  assign(partitions: readonly TopicPartition[]): void {
    this.assigned = [...partitions];
    this.lastProgress.clear();
    this.inFlight.clear();
    const now = this.deps.now();
    for (const partition of partitions) this.lastProgress.set(keyOf(partition), now);
  }

  batchStarted(topic: string, partition: number): void {
    const key = keyOf({ topic, partition });
    this.inFlight.add(key);
    this.lastProgress.set(key, this.deps.now());
  }

  batchEnded(topic: string, partition: number): void {
    const key = keyOf({ topic, partition });
    this.inFlight.delete(key);
    this.lastProgress.set(key, this.deps.now());
  }

  /** A paused partition resumed: its next batch is due from now on. */
  resumed(topic: string, partition: number): void {
    this.lastProgress.set(keyOf({ topic, partition }), this.deps.now());
  }

  /** Returns the partitions found stalled (and restarted for); one check at a time. */
  async check(): Promise<TopicPartition[]> {
    if (this.checking) return [];
    this.checking = true;
    try {
      const now = this.deps.now();
      const quiet = this.assigned.filter((tp) => {
        const key = keyOf(tp);
        return (
          !this.inFlight.has(key) &&
          !this.deps.isPaused(tp.topic, tp.partition) &&
          now - (this.lastProgress.get(key) ?? now) >= this.stallAfterMs
        );
      });
      if (quiet.length === 0) return [];
      const backlog = await this.deps.backlog(quiet);
      const stalled = quiet.filter((tp) => (backlog.get(keyOf(tp)) ?? 0n) > 0n);
      if (stalled.length === 0) {
        // Idle, not stuck: nothing to read. Look again only after another full period.
        for (const tp of quiet) this.lastProgress.set(keyOf(tp), now);
        return [];
      }
      await this.deps.restart(stalled);
      return stalled;
    } finally {
      this.checking = false;
    }
  }
}
