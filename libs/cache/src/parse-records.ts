import type { CachedResponse, RequestStatus } from './cache-records.js';

// Entries may be written by another version of this code, or by hand: anything that does not
// have the expected shape is treated as absent rather than trusted.

export function parseCachedResponse(text: string): CachedResponse | undefined {
  const value = parseObject(text);
  if (
    value === undefined ||
    !strings(value, 'contentId', 'requestId', 'output', 'modelUsed') ||
    typeof value.generatedAt !== 'number' ||
    typeof value.usage !== 'object' ||
    value.usage === null
  ) {
    return undefined;
  }
  return value as unknown as CachedResponse;
}

export function parseRequestStatus(text: string): RequestStatus | undefined {
  const value = parseObject(text);
  switch (value?.state) {
    case 'accepted':
      return typeof value.acceptedAt === 'number' ? (value as unknown as RequestStatus) : undefined;
    case 'done':
      return strings(value, 'contentId', 'output', 'modelUsed', 'cacheHit') &&
        typeof value.generatedAt === 'number'
        ? (value as unknown as RequestStatus)
        : undefined;
    case 'failed':
      return strings(value, 'code', 'message') ? (value as unknown as RequestStatus) : undefined;
    default:
      return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function strings(value: Record<string, unknown>, ...fields: string[]): boolean {
  return fields.every((field) => typeof value[field] === 'string');
}
