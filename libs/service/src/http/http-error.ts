import { HttpException } from '@nestjs/common';

/**
 * An HTTP error with our stable code, for input that is not a GenstreamError's business (a bad
 * query parameter): `throw httpError(400, 'BAD_QUERY', 'k must be an integer from 1 to 100')`.
 * The JSON error filter answers `{ "error": { "code": "BAD_QUERY", "message": "..." } }`.
 */
export function httpError(status: number, code: string, message: string): HttpException {
  return new HttpException({ code, message }, status);
}
