export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** No delay grows beyond this. */
  readonly maxMs: number;
}

/**
 * Exponential backoff with full jitter: a uniformly random delay below `min(maxMs, baseMs * 2^retry)`
 * (`retry` counts from 0). The randomness spreads out clients that failed together, so they do
 * not come back together and overload the provider again.
 */
export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a server asks for, in milliseconds: `retry-after-ms` (sent by OpenAI), else `Retry-After`
 * as seconds or as an HTTP date. Undefined when there is no such header or it cannot be read.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const precise = headers.get('retry-after-ms');
  if (precise !== null && /^\s*\d+(\.\d+)?\s*$/.test(precise)) return Math.ceil(Number(precise));
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
