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
 *
 * Time is counted only while no batch is in flight: one slow batch (a store timing out) holds up
 * every partition of the member, and that is waiting, not a stall.
 */
export class StallWatchdog {
  /** Idle time (see idleNow) at each partition's last sign of progress. */
  private readonly lastProgress = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private assigned: TopicPartition[] = [];
  private checking = false;
  private idleBefore = 0;
  private idleSince: number;

  constructor(
    private readonly deps: StallWatchdogDeps,
    private readonly stallAfterMs: number,
  ) {
    this.idleSince = deps.now();
  }

  /** A new assignment: each partition gets a fresh `stallAfterMs` to show progress. */
  assign(partitions: readonly TopicPartition[]): void {
    this.assigned = [...partitions];
    this.lastProgress.clear();
    if (this.inFlight.size > 0) this.idleSince = this.deps.now();
    this.inFlight.clear();
    const idle = this.idleNow();
    for (const partition of partitions) this.lastProgress.set(keyOf(partition), idle);
  }

  batchStarted(topic: string, partition: number): void {
    const key = keyOf({ topic, partition });
    if (this.inFlight.size === 0) this.idleBefore = this.idleNow();
    this.inFlight.add(key);
    this.lastProgress.set(key, this.idleNow());
  }

  batchEnded(topic: string, partition: number): void {
    const key = keyOf({ topic, partition });
    if (!this.inFlight.delete(key)) return;
    if (this.inFlight.size === 0) this.idleSince = this.deps.now();
    this.lastProgress.set(key, this.idleNow());
  }

  /** A paused partition resumed: its next batch is due from now on. */
  resumed(topic: string, partition: number): void {
    this.lastProgress.set(keyOf({ topic, partition }), this.idleNow());
  }

  /** Milliseconds so far with no batch in flight. */
  private idleNow(): number {
    return this.inFlight.size > 0 ? this.idleBefore : this.idleBefore + (this.deps.now() - this.idleSince);
  }

  /** Returns the partitions found stalled (and restarted for); one check at a time. */
  async check(): Promise<TopicPartition[]> {
    if (this.checking) return [];
    this.checking = true;
    try {
      const idle = this.idleNow();
      const quiet = this.assigned.filter((tp) => {
        const key = keyOf(tp);
        return (
          !this.inFlight.has(key) &&
          !this.deps.isPaused(tp.topic, tp.partition) &&
          idle - (this.lastProgress.get(key) ?? idle) >= this.stallAfterMs
        );
      });
      if (quiet.length === 0) return [];
      const backlog = await this.deps.backlog(quiet);
      const stalled = quiet.filter((tp) => (backlog.get(keyOf(tp)) ?? 0n) > 0n);
      if (stalled.length === 0) {
        // Idle, not stuck: nothing to read. Look again only after another full period.
        for (const tp of quiet) this.lastProgress.set(keyOf(tp), idle);
        return [];
      }
      await this.deps.restart(stalled);
      return stalled;
    } finally {
      this.checking = false;
    }
  }
}
