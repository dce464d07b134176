import { ContractViolationError, StoreUnavailableError, isRetriable } from '@genstream/errors';
import { aContentGenerated } from '@genstream/events/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { classifyPostgresError, postgresFailureKind } from './postgres-errors.js';

/** An error as pg raises it for a server answer: SQLSTATE in `code`, plus the server's fields. */
function serverError(
  code: string,
  message: string,
  fields: Partial<pg.DatabaseError> = {},
): pg.DatabaseError {
  return Object.assign(new pg.DatabaseError(message, 0, 'error'), { code, severity: 'ERROR', ...fields });
}

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('postgresFailureKind', () => {
  it.each([
    ['connection refused', nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', nodeError('ECONNRESET', 'read ECONNRESET')],
    ['broken pipe', nodeError('EPIPE', 'write EPIPE')],
    ['terminated', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['query timeout', new Error('Query read timeout')],
    ['too many connections', serverError('53300', 'sorry, too many clients already')],
    ['admin shutdown', serverError('57P01', 'terminating connection due to administrator command')],
    ['starting up', serverError('57P03', 'the database system is starting up')],
    ['statement timeout', serverError('57014', 'canceling statement due to statement timeout')],
    ['serialization', serverError('40001', 'could not serialize access due to concurrent update')],
    ['deadlock', serverError('40P01', 'deadlock detected')],
    ['read-only after failover', serverError('25006', 'cannot execute INSERT in a read-only transaction')],
    ['bad credentials', serverError('28P01', 'password authentication failed for user "genstream"')],
  ])('%s: unavailable, retried', (_label, error) => {
    expect(postgresFailureKind(error)).toBe('unavailable');
    expect(classifyPostgresError(error)).toBeInstanceOf(StoreUnavailableError);
    expect(isRetriable(classifyPostgresError(error))).toBe(true);
  });

  it('treats a missing table as a schema not migrated yet: retried, not dead-lettered', () => {
    const error = serverError('42P01', 'relation "ai_generated_content" does not exist');
    expect(postgresFailureKind(error)).toBe('schema');
    expect(isRetriable(classifyPostgresError(error))).toBe(true);
  });

  it.each([
    ['invalid text', '22P02', 'invalid input syntax for type uuid: "nope"'],
    ['out of range', '22003', 'value "3000000000" is out of range for type integer'],
    ['NUL byte', '22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    [
      'not null',
      '23502',
      'null value in column "title" of relation "ai_generated_content" violates not-null',
    ],
    ['check', '23514', 'new row violates check constraint'],
  ])('%s: a data error, permanent', (_label, code, message) => {
    const error = serverError(code, message);
    expect(postgresFailureKind(error)).toBe('data');
    const classified = classifyPostgresError(error);
    expect(classified).toBeInstanceOf(ContractViolationError);
    expect(isRetriable(classified)).toBe(false);
  });

  it('leaves other errors (bugs) as they are, not retried', () => {
    const syntax = serverError('42601', 'syntax error at or near "SELEC"');
    expect(postgresFailureKind(syntax)).toBe('other');
    expect(classifyPostgresError(syntax)).toBe(syntax);
    const bug = new TypeError('x is undefined');
    expect(classifyPostgresError(bug)).toBe(bug);
    expect(postgresFailureKind('a string')).toBe('other');
  });
});

describe('classifyPostgresError naming the record', () => {
  it('names the only record of a batch of one', () => {
    const event = aContentGenerated();
    const classified = classifyPostgresError(serverError('22021', 'invalid byte sequence'), [event]);
    expect(classified).toMatchObject({
      code: 'CONTRACT_VIOLATION',
      details: { store: 'postgresql', sqlState: '22021', contentId: event.contentId },
    });
    expect((classified as Error).message).toContain(event.contentId);
  });

  it('names the record holding the value the server quoted', () => {
    const batch = [aContentGenerated(), aContentGenerated({ latencyMs: 3_000_000_000 }), aContentGenerated()];
    const error = serverError('22003', 'value "3000000000" is out of range for type integer');
    expect(classifyPostgresError(error, batch)).toMatchObject({
      details: { contentId: batch[1]!.contentId },
    });
  });

  it('names the record with a NUL character', () => {
    const batch = [aContentGenerated(), aContentGenerated({ output: 'bad \u0000 byte' })];
    const error = serverError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
    expect(classifyPostgresError(error, batch)).toMatchObject({
      details: { contentId: batch[1]!.contentId },
    });
  });

  it('names nobody when the value is ambiguous, and says the batch size instead', () => {
    const batch = [aContentGenerated(), aContentGenerated()];
    const error = serverError('22P02', 'invalid input syntax for type integer: "local"', { column: 'x' });
    const classified = classifyPostgresError(error, batch) as ContractViolationError;
    expect(classified.details).not.toHaveProperty('contentId');
    expect(classified.details).toMatchObject({ column: 'x' });
    expect(classified.message).toContain('a batch of 2 records');
  });
});
