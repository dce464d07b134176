import { InvalidEventError, StoreUnavailableError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { BatchOutcome } from './batch-outcome.js';
import { handleIsolatingPoison } from './isolate.js';

const records = (count: number) => Array.from({ length: count }, (_, i) => ({ offset: String(i) }));
type Rec = { offset: string };

function handlerFailingOn(poison: Set<string>, calls: Rec[][] = []) {
  return async (batch: readonly Rec[]) => {
    calls.push([...batch]);
    const guilty = batch.find((r) => poison.has(r.offset));
    if (guilty) throw new InvalidEventError(`poison at ${guilty.offset}`);
  };
}

const kinds = (settlements: Map<string, { kind: string }>) =>
  Object.fromEntries([...settlements].map(([offset, s]) => [offset, s.kind]));

describe('handleIsolatingPoison', () => {
  it('settles every record done when the handler succeeds, in one call', async () => {
    const calls: Rec[][] = [];
    const settlements = await handleIsolatingPoison(records(4), handlerFailingOn(new Set(), calls));
    expect(calls).toHaveLength(1);
    expect(Object.values(kinds(settlements))).toEqual(['done', 'done', 'done', 'done']);
  });

  it('bisects a batch that throws, dead-letters only the poison, handles every good record', async () => {
    const calls: Rec[][] = [];
    const settlements = await handleIsolatingPoison(records(64), handlerFailingOn(new Set(['37']), calls));
    const result = kinds(settlements);
    expect(result['37']).toBe('dead-letter');
    expect(Object.entries(result).filter(([, kind]) => kind === 'done')).toHaveLength(63);
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * Math.log2(64));
    expect((settlements.get('37') as { error: Error }).error.message).toBe('poison at 37');
  });

  it('isolates several poison records', async () => {
    const settlements = await handleIsolatingPoison(records(10), handlerFailingOn(new Set(['0', '5', '9'])));
    const result = kinds(settlements);
    expect(Object.keys(result).filter((o) => result[o] === 'dead-letter')).toEqual(['0', '5', '9']);
  });

  it('stops isolating at a retriable error: the store is down, nothing more is tried', async () => {
    const calls: Rec[][] = [];
    const settlements = await handleIsolatingPoison(records(8), async (batch) => {
      calls.push([...batch]);
      if (calls.length === 1) throw new InvalidEventError('poison somewhere');
      throw new StoreUnavailableError('down now');
    });
    expect(calls).toHaveLength(2);
    expect(kinds(settlements)).toEqual({ '0': 'retry', '1': 'retry', '2': 'retry', '3': 'retry' });
  });

  it('takes per-record failures from the outcome without re-running anything', async () => {
    const calls: Rec[][] = [];
    const settlements = await handleIsolatingPoison(records(4), async (batch) => {
      calls.push([...batch]);
      return BatchOutcome.failed(
        { record: batch[1]!, error: new InvalidEventError('bad one') },
        { record: batch[3]!, error: new StoreUnavailableError('later') },
      );
    });
    expect(calls).toHaveLength(1);
    expect(kinds(settlements)).toEqual({ '0': 'done', '1': 'dead-letter', '2': 'done', '3': 'retry' });
  });

  it('counts unknown errors as not retriable', async () => {
    const settlements = await handleIsolatingPoison(records(1), async () => {
      throw new RangeError('bug');
    });
    expect(kinds(settlements)).toEqual({ '0': 'dead-letter' });
  });
});
