import { describe, expect, it } from 'vitest';
import {
  BadMagicError,
  EmbedderConflictError,
  GenstreamError,
  InvalidEventError,
  ProviderRejectedError,
  ProviderUnavailableError,
  StoreUnavailableError,
  UnknownModelError,
  VectorSetSwitchedError,
  errorCode,
  isRetriable,
} from './index.js';

describe('error hierarchy', () => {
  it('gives every error a stable code, a retriable flag and its cause', () => {
    const cause = new Error('connection refused');
    const error = new StoreUnavailableError('PostgreSQL is down', { cause });
    expect(error).toBeInstanceOf(GenstreamError);
    expect(error).toMatchObject({
      name: 'StoreUnavailableError',
      code: 'STORE_UNAVAILABLE',
      retriable: true,
      cause,
    });
    expect(new BadMagicError('first byte 0x7b')).toMatchObject({ code: 'EVENT_BAD_MAGIC', retriable: false });
    // A search against a set of another embedder is refused; an indexer waits for the right one.
    expect(new EmbedderConflictError('x')).toMatchObject({ code: 'EMBEDDER_CONFLICT', retriable: false });
    expect(new VectorSetSwitchedError('x')).toMatchObject({ code: 'VECTOR_SET_SWITCHED', retriable: true });
  });

  it('serializes to JSON with its code and details, for headers and HTTP bodies', () => {
    const error = new InvalidEventError('2 invalid fields', { details: { paths: ['prompt', 'userId'] } });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'EVENT_INVALID',
      message: '2 invalid fields',
      retriable: false,
      details: { paths: ['prompt', 'userId'] },
    });
  });

  it('treats unknown errors as not retriable, with the code INTERNAL', () => {
    expect(isRetriable(new Error('bug'))).toBe(false);
    expect(isRetriable(new StoreUnavailableError('down'))).toBe(true);
    expect(errorCode(new TypeError('x'))).toBe('INTERNAL');
    expect(errorCode(new BadMagicError('x'))).toBe('EVENT_BAD_MAGIC');
  });

  it('tells provider failures worth retrying from requests a provider will never accept', () => {
    expect(new ProviderUnavailableError('503 from the model endpoint')).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retriable: true,
    });
    expect(new ProviderRejectedError('401 from the model endpoint')).toMatchObject({
      code: 'PROVIDER_REJECTED',
      retriable: false,
    });
    expect(new UnknownModelError('no provider serves gpt-9')).toMatchObject({
      code: 'MODEL_UNKNOWN',
      retriable: false,
    });
  });
});
