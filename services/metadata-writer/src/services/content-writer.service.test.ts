import { ContractViolationError, StoreUnavailableError } from '@genstream/errors';
import { aContentGenerated } from '@genstream/events/testing';
import { silentLogger } from '@genstream/kafka';
import { recordOf } from '@genstream/kafka/testing';
import { describe, expect, it } from 'vitest';
import { ContentWriter, type ContentStore } from './content-writer.service.js';

/** Refuses the events whose contentId is in `refused`, one per call, as PostgreSQL would. */
function fakeStore(refused: Set<string> = new Set(), outage = false) {
  const calls: string[][] = [];
  const store: ContentStore = {
    async saveBatch(events) {
      calls.push(events.map((event) => event.contentId));
      if (outage) throw new StoreUnavailableError('PostgreSQL is unavailable');
      const culprit = events.find((event) => refused.has(event.contentId));
      if (culprit !== undefined) {
        throw new ContractViolationError(`refused ${culprit.contentId}`, {
          details: { contentId: culprit.contentId },
        });
      }
      return { inserted: events.length, duplicates: 0 };
    },
  };
  return { store, calls };
}

describe('ContentWriter', () => {
  it('writes a batch in one call and reports no failure', async () => {
    const records = [aContentGenerated(), aContentGenerated()].map((event, offset) =>
      recordOf('ContentGenerated', event, offset),
    );
    const { store, calls } = fakeStore();
    expect(await new ContentWriter(store, silentLogger).write(records)).toEqual({ failed: [] });
    expect(calls).toHaveLength(1);
  });

  it('sets aside each refused record (all its copies) and writes the rest', async () => {
    const events = Array.from({ length: 5 }, () => aContentGenerated());
    const records = [...events, events[1]!].map((event, offset) =>
      recordOf('ContentGenerated', event, offset),
    );
    const { store, calls } = fakeStore(new Set([events[1]!.contentId, events[3]!.contentId]));
    const outcome = await new ContentWriter(store, silentLogger).write(records);
    expect(outcome.failed.map((failure) => failure.record.offset)).toEqual(['1', '5', '3']);
    expect(outcome.failed.every((failure) => failure.error instanceof ContractViolationError)).toBe(true);
    expect(calls.at(-1)).toEqual([events[0]!.contentId, events[2]!.contentId, events[4]!.contentId]);
  });

  it('throws an outage, and a refusal naming no record, for the runtime to retry or split', async () => {
    const records = [recordOf('ContentGenerated', aContentGenerated(), 0)];
    await expect(
      new ContentWriter(fakeStore(new Set(), true).store, silentLogger).write(records),
    ).rejects.toThrow(StoreUnavailableError);
    const anonymous: ContentStore = {
      saveBatch: () => Promise.reject(new ContractViolationError('refused a batch of 1 records')),
    };
    await expect(new ContentWriter(anonymous, silentLogger).write(records)).rejects.toThrow(
      ContractViolationError,
    );
  });
});
