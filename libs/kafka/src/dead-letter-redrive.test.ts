import { UnknownSchemaError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { buildDeadLetter, parseDeadLetter } from './dead-letter.js';
import { REDRIVE_HEADERS, redriveUnits, redrivenRecord } from './dead-letter-redrive.js';
import { matchesFilter, parseDeadLetterId, type StoredDeadLetter } from './dead-letter-store.js';

let next = 0;

function stored(service: string, failedAt: string, offset = '5'): StoredDeadLetter {
  const message = buildDeadLetter(
    { topic: 't', partition: 1, offset, key: Buffer.from('k'), value: Buffer.from('v'), headers: { h: 'x' } },
    { error: new UnknownSchemaError('unknown'), service, failedAt: new Date(failedAt) },
  );
  const letter = parseDeadLetter({
    key: message.key as Buffer,
    value: message.value as Buffer,
    headers: message.headers,
  });
  return { id: { topic: 't.dlq', partition: 0, offset: String(next++) }, letter };
}

describe('choosing and redriving dead letters', () => {
  it('parses ids and matches every kind of filter', () => {
    expect(parseDeadLetterId('t.dlq:0:0017')).toEqual({ topic: 't.dlq', partition: 0, offset: '17' });
    expect(() => parseDeadLetterId('t.dlq:0')).toThrow('is no dead letter id');
    const one = stored('generation', '2026-12-03T10:00:00Z');
    expect(matchesFilter(one, {})).toBe(true);
    expect(
      matchesFilter(one, { topics: ['t'], codes: ['EVENT_UNKNOWN_SCHEMA'], services: ['generation'] }),
    ).toBe(true);
    expect(matchesFilter(one, { topics: ['t.dlq'] })).toBe(true);
    expect(matchesFilter(one, { topics: ['u'] })).toBe(false);
    expect(matchesFilter(one, { codes: ['EVENT_INVALID'] })).toBe(false);
    expect(matchesFilter(one, { since: new Date('2026-12-03T10:00:00Z') })).toBe(true);
    expect(matchesFilter(one, { until: new Date('2026-12-03T10:00:00Z') })).toBe(false);
    expect(matchesFilter(one, { ids: [{ topic: 't.dlq', partition: 0, offset: '000' }] })).toBe(true);
    expect(matchesFilter(one, { ids: [{ topic: 't.dlq', partition: 1, offset: '0' }] })).toBe(false);
  });

  it('republishes each original record once, marked, never stamped before its failures', () => {
    const letters = [
      stored('metadata-writer', '2026-12-03T10:00:00Z'),
      stored('document-writer', '2026-12-03T10:00:05Z'),
      stored('generation', '2026-12-03T09:00:00Z', '6'),
    ];
    const units = redriveUnits(letters);
    expect(units.map((unit) => [unit.original, unit.letters.length])).toEqual([
      ['t:1:5', 2],
      ['t:1:6', 1],
    ]);
    const record = redrivenRecord(units[0]!, new Date('2026-12-03T09:59:00Z'));
    expect(record.key?.toString()).toBe('k');
    expect(record.value?.toString()).toBe('v');
    expect(record.headers).toEqual({
      h: 'x',
      [REDRIVE_HEADERS.original]: 't:1:5',
      [REDRIVE_HEADERS.from]: 't.dlq:0:1,t.dlq:0:2',
      [REDRIVE_HEADERS.at]: '2026-12-03T09:59:00.000Z',
    });
    // The operator's clock is behind the failing service's: the record is stamped at the failure.
    expect(record.timestamp).toBe(String(Date.parse('2026-12-03T10:00:05Z')));
  });
});
