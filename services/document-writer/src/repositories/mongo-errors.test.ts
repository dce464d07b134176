import { StoreUnavailableError } from '@genstream/errors';
import {
  MongoInvalidArgumentError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoServerError,
} from 'mongodb';
import { describe, expect, it } from 'vitest';
import { classifyMongoError, isMongoUnavailable } from './mongo-errors.js';

const serverError = (code: number, errorLabels: string[] = []) =>
  new MongoServerError({ message: `server error ${code}`, code, errorLabels });

describe('classifyMongoError', () => {
  it.each([
    ['network', new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017')],
    ['network timeout', new MongoNetworkTimeoutError('timed out')],
    ['not connected', new MongoNotConnectedError('client must be connected')],
    ['shutting down', serverError(91)],
    ['not primary', serverError(10107)],
    ['retryable label', serverError(12345, ['RetryableWriteError'])],
  ])('%s: StoreUnavailableError, retriable', (_label, error) => {
    expect(isMongoUnavailable(error)).toBe(true);
    const classified = classifyMongoError(error);
    expect(classified).toBeInstanceOf(StoreUnavailableError);
    expect(classified).toMatchObject({ retriable: true, cause: error });
  });

  it.each([
    ['bad document', serverError(2)],
    ['driver argument', new MongoInvalidArgumentError('Document is larger than the maximum size')],
    ['bug', new TypeError('x is undefined')],
  ])('%s: left as it is, not retried', (_label, error) => {
    expect(isMongoUnavailable(error)).toBe(false);
    expect(classifyMongoError(error)).toBe(error);
  });
});
