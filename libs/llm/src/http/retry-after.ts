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
