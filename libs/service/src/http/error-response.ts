import { GenstreamError } from '@genstream/errors';
import { HttpException } from '@nestjs/common';

/** Every HTTP error answer: `{ "error": { "code": "...", "message": "..." } }`. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** Machine-readable specifics of a 4xx (e.g. the invalid field paths); never on a 5xx. */
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
}

// Codes whose status their family would get wrong: faults of this server or of a server behind it.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  CONFIG_INVALID: 500,
  MIGRATION_FAILED: 500,
  SCHEMA_INVALID: 500,
  SCHEMA_INCOMPATIBLE: 500,
  REGISTRY_REJECTED: 502,
  PROVIDER_REJECTED: 502,
  CONTRACT_VIOLATION: 422,
  MODEL_UNKNOWN: 422,
};

// Stable code suffixes and prefixes, so a new error code gets the right status without a change here.
const FAMILIES: readonly (readonly [RegExp, number])[] = [
  [/(^|_)NOT_FOUND$/, 404],
  [/(^|_)(CONFLICT|ALREADY_EXISTS|EXISTS)$/, 409],
  [/(^|_)TOO_LARGE$/, 413],
  [/(^|_)(UNKNOWN|VIOLATION|UNPROCESSABLE)$/, 422],
  [/^(BAD_|EVENT_)|(^|_)(INVALID|MISSING|MALFORMED)$/, 400],
];

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL',
  502: 'BAD_GATEWAY',
  503: 'UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

// 5xx answers say what kind of failure it was, never the internals (addresses, SQL, stacks).
const MESSAGE_BY_SERVER_STATUS: Readonly<Record<number, string>> = {
  500: 'internal error',
  502: 'a service this one depends on refused the request',
  503: 'a dependency is unavailable; retry later',
  504: 'a dependency did not answer in time; retry later',
};

/** The HTTP status of a GenstreamError: by code, then by code family; retriable ones are 503. */
export function httpStatusOf(error: GenstreamError): number {
  const exact = STATUS_BY_CODE[error.code];
  if (exact !== undefined) return exact;
  if (error.retriable) return 503;
  return FAMILIES.find(([pattern]) => pattern.test(error.code))?.[1] ?? 500;
}

/** What to answer for anything thrown while handling a request. */
export function errorResponseOf(error: unknown): ErrorResponse {
  if (error instanceof GenstreamError) {
    const status = httpStatusOf(error);
    if (status >= 500) return serverError(status, error.code);
    const details = Object.keys(error.details).length > 0 ? { details: error.details } : {};
    return { status, body: { error: { code: error.code, message: error.message, ...details } } };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  return serverError(500, 'INTERNAL');
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const given =
    typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const code = typeof given.code === 'string' ? given.code : codeOf(exception, status);
  if (status >= 500) return serverError(status, code);
  return { status, body: { error: { code, message: messageOf(exception, response, code) } } };
}

function codeOf(exception: HttpException, status: number): string {
  if (status === 400 && isBodyParseFailure(exception.cause)) return 'BAD_JSON';
  return CODE_BY_STATUS[status] ?? `HTTP_${status}`;
}

function messageOf(exception: HttpException, response: string | object, code: string): string {
  if (code === 'BAD_JSON') return `the request body is not valid JSON: ${exception.message}`;
  if (code === 'BODY_TOO_LARGE') return 'the request body is too large';
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}

/** body-parser's SyntaxError for a body that is not JSON (Nest maps it to a BadRequestException). */
function isBodyParseFailure(cause: unknown): boolean {
  return cause instanceof SyntaxError || (cause as { type?: unknown } | null)?.type === 'entity.parse.failed';
}

function serverError(status: number, code: string): ErrorResponse {
  const message = MESSAGE_BY_SERVER_STATUS[status] ?? MESSAGE_BY_SERVER_STATUS[500]!;
  return { status, body: { error: { code, message } } };
}
