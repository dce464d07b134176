import { InvalidEventError, StoreUnavailableError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { DONE, planCommit, settlementOf, type Settlement } from './settlement.js';

const bad = new InvalidEventError('bad');
const down = new StoreUnavailableError('down');
const offsets = ['10', '11', '12', '13', '14'];
const settled = (...entries: [string, Settlement][]) => new Map(entries);

describe('outcome classification', () => {
  it('retries retriable errors and dead-letters the rest, unknown errors included', () => {
    expect(settlementOf(down)).toEqual({ kind: 'retry', error: down });
    expect(settlementOf(bad)).toEqual({ kind: 'dead-letter', error: bad });
    expect(settlementOf(new TypeError('bug'))).toMatchObject({ kind: 'dead-letter' });
    expect(settlementOf('thrown string')).toMatchObject({ kind: 'dead-letter' });
  });
});

describe('planCommit', () => {
  it('commits after the last record when all are done', () => {
    const plan = planCommit(offsets, new Map(offsets.map((o) => [o, DONE])));
    expect(plan).toEqual({ handled: offsets, deadLetters: [], commitOffset: '15', retry: undefined });
  });

  it('moves past dead-lettered records, which go to the dead-letter topic first', () => {
    const plan = planCommit(
      offsets,
      settled(['10', DONE], ['11', settlementOf(bad)], ['12', DONE], ['13', DONE], ['14', settlementOf(bad)]),
    );
    expect(plan.handled).toEqual(['10', '12', '13']);
    expect(plan.deadLetters).toEqual([
      { offset: '11', error: bad },
      { offset: '14', error: bad },
    ]);
    expect(plan.commitOffset).toBe('15');
    expect(plan.retry).toBeUndefined();
  });

  it('stops at the first retriable failure: commits before it, never dead-letters after it', () => {
    const plan = planCommit(
      offsets,
      settled(
        ['10', DONE],
        ['11', settlementOf(bad)],
        ['12', settlementOf(down)],
        ['13', settlementOf(bad)],
        ['14', DONE],
      ),
    );
    expect(plan).toEqual({
      handled: ['10'],
      deadLetters: [{ offset: '11', error: bad }],
      commitOffset: '12',
      retry: { offset: '12', error: down },
    });
  });

  it('commits nothing when the first record must be retried', () => {
    const plan = planCommit(offsets, new Map(offsets.map((o) => [o, settlementOf(down)])));
    expect(plan.commitOffset).toBeUndefined();
    expect(plan.retry).toEqual({ offset: '10', error: down });
    expect(plan.deadLetters).toEqual([]);
  });

  it('treats a record nobody settled as not finished', () => {
    const plan = planCommit(offsets, settled(['10', DONE], ['12', DONE]));
    expect(plan.commitOffset).toBe('11');
    expect(plan.retry?.offset).toBe('11');
  });

  it('handles offsets beyond 2^53', () => {
    const big = ['9007199254740993', '9007199254740994'];
    expect(planCommit(big, new Map(big.map((o) => [o, DONE]))).commitOffset).toBe('9007199254740995');
  });
});
