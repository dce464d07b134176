import { httpError } from '@genstream/service';
import type { SearchQuery } from '../services/search.service.js';

export const MAX_QUERY_CHARS = 2_000;
export const MAX_K = 100;
export const DEFAULT_K = 5;

/** The query string of GET /v1/search, checked; a 400 BAD_QUERY naming the parameter otherwise. */
export function parseSearchQuery(query: Record<string, unknown>): SearchQuery {
  const q = single(query, 'q');
  if (q === undefined || q.trim() === '') throw bad('q is required: the text to search for');
  if (q.length > MAX_QUERY_CHARS) throw bad(`q must be at most ${MAX_QUERY_CHARS} characters`);
  const k = integer(single(query, 'k'), 'k', 1, MAX_K) ?? DEFAULT_K;
  const userId = integer(single(query, 'userId'), 'userId', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  return { q, k, ...(userId === undefined ? {} : { userId }) };
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw bad(`${name} must be given once, as plain text`);
  return value;
}

function integer(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw bad(
      min === Number.MIN_SAFE_INTEGER
        ? `${name} must be an integer`
        : `${name} must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function bad(message: string) {
  return httpError(400, 'BAD_QUERY', message);
}
