import type { StoredAnswer } from '../services/ports.js';

// Entries may come from another version of this code, or be written by hand: anything without
// the expected shape is treated as absent (a miss), never trusted.

/** A flight result as written by FlightRepository.complete. */
export function parseFlightResult(text: string): StoredAnswer | undefined {
  const value = parseAnswer(text);
  if (value === undefined) return undefined;
  return { ...value, latencyMs: typeof value.latencyMs === 'number' ? value.latencyMs : null };
}

/** A response cache entry as the cache-updater writes it (CachedResponse of @genstream/cache). */
export function parseCachedResponse(text: string): StoredAnswer | undefined {
  const value = parseAnswer(text);
  return value === undefined ? undefined : { ...value, latencyMs: null };
}

function parseAnswer(text: string): (Omit<StoredAnswer, 'latencyMs'> & { latencyMs?: unknown }) | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  const usage = entry.usage as Record<string, unknown> | null | undefined;
  if (
    typeof entry.requestId !== 'string' ||
    typeof entry.contentId !== 'string' ||
    typeof entry.output !== 'string' ||
    typeof entry.modelUsed !== 'string' ||
    typeof entry.generatedAt !== 'number' ||
    typeof usage !== 'object' ||
    usage === null
  ) {
    return undefined;
  }
  return {
    requestId: entry.requestId,
    contentId: entry.contentId,
    output: entry.output,
    modelUsed: entry.modelUsed,
    generatedAt: entry.generatedAt,
    usage: {
      promptTokens: tokenCount(usage.promptTokens),
      completionTokens: tokenCount(usage.completionTokens),
    },
    latencyMs: entry.latencyMs,
  };
}

function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}
