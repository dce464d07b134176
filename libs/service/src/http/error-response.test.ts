import {
  ConfigError,
  ContractViolationError,
  DependencyTimeoutError,
  InvalidEventError,
  PermanentError,
  ProviderRejectedError,
  StoreUnavailableError,
  UnknownModelError,
} from '@genstream/errors';
import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { errorResponseOf, httpStatusOf } from './error-response.js';
import { httpError } from './http-error.js';

class ItemNotFoundError extends PermanentError {
  readonly code = 'ITEM_NOT_FOUND';
}
class RequestConflictError extends PermanentError {
  readonly code = 'REQUEST_CONFLICT';
}
class PromptTooLargeError extends PermanentError {
  readonly code = 'PROMPT_TOO_LARGE';
}
class OddError extends PermanentError {
  readonly code = 'ODD';
}

describe('httpStatusOf', () => {
  it.each([
    [new InvalidEventError('bad'), 400],
    [new ItemNotFoundError('gone'), 404],
    [new RequestConflictError('twice'), 409],
    [new PromptTooLargeError('big'), 413],
    [new ContractViolationError('empty prompt'), 422],
    [new UnknownModelError('gpt-9'), 422],
    [new StoreUnavailableError('down'), 503],
    [new DependencyTimeoutError('slow'), 503],
    [new ProviderRejectedError('bad key'), 502],
    [new ConfigError('bad env'), 500],
    [new OddError('?'), 500],
  ])('%s -> %i', (error, status) => {
    expect(httpStatusOf(error)).toBe(status);
  });
});

describe('errorResponseOf', () => {
  it('answers a 4xx GenstreamError with its code, message and details', () => {
    const error = new InvalidEventError('2 invalid fields', { details: { paths: ['userId', 'title'] } });
    expect(errorResponseOf(error)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'EVENT_INVALID',
          message: '2 invalid fields',
          details: { paths: ['userId', 'title'] },
        },
      },
    });
    expect(errorResponseOf(new ItemNotFoundError('no item 7')).body).toEqual({
      error: { code: 'ITEM_NOT_FOUND', message: 'no item 7' },
    });
  });

  it('keeps internals out of 5xx answers', () => {
    const down = new StoreUnavailableError('PostgreSQL at 10.1.2.3:5432 refused', {
      details: { host: '10.1.2.3' },
    });
    expect(errorResponseOf(down)).toEqual({
      status: 503,
      body: { error: { code: 'STORE_UNAVAILABLE', message: 'a dependency is unavailable; retry later' } },
    });
    expect(errorResponseOf(new TypeError('x of undefined at /srv/a.ts:1'))).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    });
    expect(errorResponseOf('a thrown string')).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    });
    expect(errorResponseOf(new ConfigError('DATABASE_URL=postgres://u:secret@h')).body.error.message).toBe(
      'internal error',
    );
  });

  it('answers Nest HttpExceptions with their status and a code', () => {
    expect(errorResponseOf(new NotFoundException('Cannot GET /x'))).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Cannot GET /x' } },
    });
    expect(errorResponseOf(new BadRequestException(['k must be a number', 'q is required']))).toEqual({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: 'k must be a number; q is required' } },
    });
    expect(errorResponseOf(new HttpException('teapot', 418))).toEqual({
      status: 418,
      body: { error: { code: 'HTTP_418', message: 'teapot' } },
    });
    expect(errorResponseOf(httpError(400, 'BAD_QUERY', 'k must be from 1 to 100'))).toEqual({
      status: 400,
      body: { error: { code: 'BAD_QUERY', message: 'k must be from 1 to 100' } },
    });
    expect(errorResponseOf(new HttpException('db password is hunter2', 500)).body.error).toEqual({
      code: 'INTERNAL',
      message: 'internal error',
    });
  });

  it('tells body-parser failures apart: BAD_JSON and BODY_TOO_LARGE', () => {
    const syntax = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(errorResponseOf(new BadRequestException(syntax.message, { cause: syntax }))).toEqual({
      status: 400,
      body: {
        error: {
          code: 'BAD_JSON',
          message: 'the request body is not valid JSON: Unexpected end of JSON input',
        },
      },
    });
    expect(errorResponseOf(new PayloadTooLargeException('request entity too large'))).toEqual({
      status: 413,
      body: { error: { code: 'BODY_TOO_LARGE', message: 'the request body is too large' } },
    });
  });
});
