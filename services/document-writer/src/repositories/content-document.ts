import { ContractViolationError } from '@genstream/errors';
import type { ContentGenerated } from '@genstream/events';

/** One ContentGenerated as stored in `aiGenerated`. */
export interface ContentDocument {
  _id: string;
  requestId: string;
  userId: number;
  title: string;
  modelUsed: string;
  /** The generated text (the event's `output`). */
  summary: string;
  generatedAt: Date;
  requestedAt: Date;
  /** Every other field of the event, as it came: later schema versions add fields here. */
  [field: string]: unknown;
}

/** Event fields stored under another name (DESIGN.md section 2). */
export const RENAMED_FIELDS = { contentId: '_id', output: 'summary' } as const;

/** Event fields holding epoch milliseconds, stored as BSON dates so they sort and range-query as dates. */
export const DATE_FIELDS = ['generatedAt', 'requestedAt'] as const;

/**
 * The document for an event, built from the event object itself rather than from a field list,
 * so a field added by a later schema version is stored without a code change. Only the renamed
 * and converted fields are special.
 */
export function toContentDocument(event: ContentGenerated): ContentDocument {
  const document: Record<string, unknown> = { _id: event.contentId };
  for (const [field, value] of Object.entries(event)) {
    if (value === undefined) continue; // BSON would store null; absent is what undefined means
    const name = (RENAMED_FIELDS as Record<string, string>)[field] ?? field;
    document[name] = (DATE_FIELDS as readonly string[]).includes(field) ? toDate(event, field, value) : value;
  }
  return document as ContentDocument;
}

function toDate(event: ContentGenerated, field: string, value: unknown): Date {
  const date = new Date(value as number);
  if (typeof value !== 'number' || Number.isNaN(date.getTime())) {
    throw new ContractViolationError(
      `content ${event.contentId} has an impossible ${field}: ${String(value)}`,
      {
        details: { contentId: event.contentId, paths: [field] },
      },
    );
  }
  return date;
}
