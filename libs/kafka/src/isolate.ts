import { isRetriable } from '@genstream/errors';
import type { BatchOutcome } from './batch-outcome.js';
import { DONE, settlementOf, type Settlement } from './settlement.js';

/**
 * Runs the handler on the records and settles each one. When the handler throws a non-retriable
 * error for the whole batch, the guilty records are found by bisecting: each half is run again,
 * down to single records, so a poison record costs about 2·log2(n) extra calls and only the
 * records that fail on their own are dead-lettered. A retriable error at any point stops the run:
 * the store is down, so nothing after it is tried now. Handlers must be idempotent (writes keyed
 * by contentId/requestId) since records may be handled more than once.
 */
export async function handleIsolatingPoison<R extends { readonly offset: string }>(
  records: readonly R[],
  handle: (records: readonly R[]) => Promise<BatchOutcome | void>,
): Promise<Map<string, Settlement>> {
  const settlements = new Map<string, Settlement>();

  /** Returns false when a retriable failure means nothing more should be tried. */
  const run = async (group: readonly R[]): Promise<boolean> => {
    let outcome: BatchOutcome | void;
    try {
      outcome = await handle(group);
    } catch (error) {
      if (isRetriable(error) || group.length === 1) {
        for (const record of group) settlements.set(record.offset, settlementOf(error));
        return !isRetriable(error);
      }
      const middle = Math.ceil(group.length / 2);
      return (await run(group.slice(0, middle))) && (await run(group.slice(middle)));
    }
    const failures = new Map((outcome?.failed ?? []).map(({ record, error }) => [record.offset, error]));
    let goOn = true;
    for (const record of group) {
      const settlement = failures.has(record.offset) ? settlementOf(failures.get(record.offset)) : DONE;
      settlements.set(record.offset, settlement);
      if (settlement.kind === 'retry') goOn = false;
    }
    return goOn;
  };

  await run(records);
  return settlements;
}
