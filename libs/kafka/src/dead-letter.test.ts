import { ContractViolationError, InvalidEventError, StoreUnavailableError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, buildDeadLetter, parseDeadLetter } from './dead-letter.js';

const source = {
  topic: 'genstream.content.generated',
  partition: 2,
  offset: '41',
  timestamp: '1700000000000',
  key: Buffer.from('request-1'),
  value: Buffer.from([0xc3, 0x01, 0xff]),
  headers: { traceparent: Buffer.from('00-abc-01'), 'x-tenant': 'acme' },
};
const failedAt = new Date('2025-01-02T03:04:05.678Z');

describe('dead-letter format', () => {
  it('keeps the original key, value and headers and adds the reason headers', () => {
    const error = new InvalidEventError('2 invalid fields', { details: { paths: ['prompt', 'userId'] } });
    const letter = buildDeadLetter(source, { error, service: 'metadata-writer', failedAt });
    expect(letter.key).toBe(source.key);
    expect(letter.value).toBe(source.value);
    expect(letter.headers).toMatchObject({
      traceparent: source.headers.traceparent,
      'x-tenant': 'acme',
      [DEAD_LETTER_HEADERS.reasonCode]: 'EVENT_INVALID',
      [DEAD_LETTER_HEADERS.reason]: '2 invalid fields',
      [DEAD_LETTER_HEADERS.originalTopic]: 'genstream.content.generated',
      [DEAD_LETTER_HEADERS.originalPartition]: '2',
      [DEAD_LETTER_HEADERS.originalOffset]: '41',
      [DEAD_LETTER_HEADERS.originalTimestamp]: '1700000000000',
      [DEAD_LETTER_HEADERS.service]: 'metadata-writer',
      [DEAD_LETTER_HEADERS.failedAt]: '2025-01-02T03:04:05.678Z',
      [DEAD_LETTER_HEADERS.errorDetails]: '{"paths":["prompt","userId"]}',
    });
  });

  it('round-trips through parse as Kafka hands headers back (Buffers)', () => {
    const error = new InvalidEventError('bad', { details: { paths: ['title'] } });
    const letter = buildDeadLetter(source, { error, service: 'svc', failedAt });
    const asFetched = Object.fromEntries(
      Object.entries(letter.headers!).map(([name, value]) => [name, Buffer.from(value as string | Buffer)]),
    );
    const parsed = parseDeadLetter({ key: source.key, value: source.value, headers: asFetched });
    expect(parsed).toMatchObject({
      reasonCode: 'EVENT_INVALID',
      reason: 'bad',
      originalTopic: source.topic,
      originalPartition: 2,
      originalOffset: '41',
      originalTimestamp: '1700000000000',
      service: 'svc',
      failedAt,
      errorDetails: { paths: ['title'] },
      key: source.key,
      value: source.value,
    });
    expect(Object.keys(parsed.headers).sort()).toEqual(['traceparent', 'x-tenant']);
  });

  it('gives unknown errors the code INTERNAL, their name in the reason and no details', () => {
    const letter = buildDeadLetter(source, {
      error: new TypeError('x is undefined'),
      service: 's',
      failedAt,
    });
    expect(letter.headers![DEAD_LETTER_HEADERS.reasonCode]).toBe('INTERNAL');
    expect(letter.headers![DEAD_LETTER_HEADERS.reason]).toBe('TypeError: x is undefined');
    expect(letter.headers![DEAD_LETTER_HEADERS.errorDetails]).toBeUndefined();
    expect(buildDeadLetter(source, { error: 'plain string', service: 's', failedAt }).headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: 'plain string',
    });
  });

  it('replaces the reason of a replayed dead letter instead of mixing two failures', () => {
    const first = buildDeadLetter(source, { error: new InvalidEventError('first'), service: 'a', failedAt });
    const again = buildDeadLetter(
      { ...source, headers: first.headers },
      { error: new StoreUnavailableError('second'), service: 'b', failedAt },
    );
    expect(again.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: 'second',
      [DEAD_LETTER_HEADERS.service]: 'b',
      traceparent: source.headers.traceparent,
    });
    expect(again.headers![DEAD_LETTER_HEADERS.errorDetails]).toBeUndefined();
  });

  it('bounds the size of the reason and details headers', () => {
    const error = new InvalidEventError('m'.repeat(5_000), { details: { blob: 'd'.repeat(10_000) } });
    const headers = buildDeadLetter(source, { error, service: 's', failedAt }).headers!;
    expect((headers[DEAD_LETTER_HEADERS.reason] as string).length).toBe(1_000);
    expect(JSON.parse(headers[DEAD_LETTER_HEADERS.errorDetails] as string)).toEqual({
      truncated: true,
      length: 10_011,
    });
  });

  it('rejects records that are not dead letters, naming the missing header', () => {
    expect(() => parseDeadLetter({ key: null, value: Buffer.from('x'), headers: {} })).toThrow(
      ContractViolationError,
    );
    expect(() => parseDeadLetter({ key: null, value: null })).toThrow(/genstream\.dlq\.reason-code/);
  });
});
