import type { CachedResponse, RequestStatus } from './cache-records.js';

// Entries may be written by another version of this code, or by hand: anything that does not
// have the expected shape is treated as absent rather than trusted.

/** The JSON fields of an entry, for a reader that keeps fields of its own beside the response. */
export type EntryFields = Readonly<Record<string, unknown>>;

/**
 * A CachedResponse read back, built field by field so nothing unexpected rides along; a token
 * count that is not a whole number is unknown (null). With `extra`, the fields it reads from the
 * same entry are added (the generation service's flight results carry their latency).
 */
export function parseCachedResponse(text: string): CachedResponse | undefined;
export function parseCachedResponse<T extends object>(
  text: string,
  extra: (entry: EntryFields) => T,
): (CachedResponse & T) | undefined;
export function parseCachedResponse<T extends object>(
  text: string,
  extra?: (entry: EntryFields) => T,
): CachedResponse | undefined {
  const value = parseObject(text);
  const usage = value?.usage;
  if (
    value === undefined ||
    !strings(value, 'contentId', 'requestId', 'output', 'modelUsed') ||
    typeof value.generatedAt !== 'number' ||
    typeof usage !== 'object' ||
    usage === null
  ) {
    return undefined;
  }
  const { promptTokens, completionTokens } = usage as Record<string, unknown>;
  const response: CachedResponse = {
    contentId: value.contentId as string,
    requestId: value.requestId as string,
    output: value.output as string,
    modelUsed: value.modelUsed as string,
    generatedAt: value.generatedAt,
    usage: { promptTokens: tokenCount(promptTokens), completionTokens: tokenCount(completionTokens) },
  };
  return extra === undefined ? response : { ...response, ...extra(value) };
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

function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}
