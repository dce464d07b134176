/**
 * What a batch handler returns. Nothing (or no failures) means every record was processed and its
 * writes succeeded. A failure names one record and why: a retriable error (the store is down)
 * makes the runtime retry from that record later; any other error dead-letters that record alone
 * and the rest of the batch goes on. Throwing instead fails the whole batch: a retriable error
 * retries it, any other error makes the runtime isolate the guilty records by re-running parts.
 */
export interface BatchOutcome {
  readonly failed: readonly RecordFailure[];
}

export interface RecordFailure {
  /** The failed record (only its offset is used to find it). */
  readonly record: { readonly offset: string };
  readonly error: unknown;
}

export const BatchOutcome = {
  ok: (): BatchOutcome => ({ failed: [] }),
  failed: (...failed: RecordFailure[]): BatchOutcome => ({ failed }),
};

/** What the runtime tells a handler about the call, beyond the records. */
export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  /**
   * Tells the group coordinator this member is alive. The runtime already does so on a timer
   * while the handler runs; a handler may call it between long steps too.
   */
  heartbeat(): Promise<void>;
  /**
   * False once shutdown began. A long handler may cut its work short by failing the records it
   * did not do with a retriable error: they are not committed and the next owner gets them.
   */
  isRunning(): boolean;
}

export type BatchHandler<R> = (records: readonly R[], context: BatchContext) => Promise<BatchOutcome | void>;
