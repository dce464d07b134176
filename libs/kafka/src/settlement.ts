import { isRetriable } from '@genstream/errors';

/** How one record of a batch ended. */
export type Settlement =
  | { readonly kind: 'done' }
  /** Can never succeed: goes to the dead-letter topic, the batch goes on. */
  | { readonly kind: 'dead-letter'; readonly error: unknown }
  /** Failed for now (store down): this record and every later one are retried later. */
  | { readonly kind: 'retry'; readonly error: unknown };

export const DONE: Settlement = { kind: 'done' };

/** Retriable errors wait and retry; everything else, unknown errors included, dead-letters. */
export function settlementOf(error: unknown): Settlement {
  return isRetriable(error) ? { kind: 'retry', error } : { kind: 'dead-letter', error };
}

export interface CommitPlan {
  /** Offsets processed by the handler, before the retry point. */
  readonly handled: readonly string[];
  /** Records to dead-letter before committing, before the retry point. */
  readonly deadLetters: readonly { readonly offset: string; readonly error: unknown }[];
  /** Where to commit (the next offset to read), or undefined when nothing can be committed. */
  readonly commitOffset: string | undefined;
  /** The first record that must be read again, and why. */
  readonly retry: { readonly offset: string; readonly error: unknown } | undefined;
}

/**
 * Turns per-record settlements of one partition's records (in offset order) into what to do.
 * Offsets only move forward over records that are finished: handled or dead-lettered. The first
 * record to retry stops the plan; records after it are read again even if they were handled
 * (writes are idempotent), because a commit cannot skip over a record.
 */
export function planCommit(
  offsets: readonly string[],
  settlements: ReadonlyMap<string, Settlement>,
): CommitPlan {
  const handled: string[] = [];
  const deadLetters: { offset: string; error: unknown }[] = [];
  let retry: CommitPlan['retry'];
  for (const offset of offsets) {
    const settlement = settlements.get(offset) ?? {
      kind: 'retry',
      error: new Error(`record at offset ${offset} was neither processed nor failed`),
    };
    if (settlement.kind === 'retry') {
      retry = { offset, error: settlement.error };
      break;
    }
    if (settlement.kind === 'done') handled.push(offset);
    else deadLetters.push({ offset, error: settlement.error });
  }
  const finished = handled.length + deadLetters.length;
  const commitOffset = finished === 0 ? undefined : (BigInt(offsets[finished - 1]!) + 1n).toString();
  return { handled, deadLetters, commitOffset, retry };
}
