import type { ContentGenerated } from '@genstream/events';
import { ContractViolationError } from '@genstream/errors';

/**
 * A batch as one array per column, the shape `unnest($1::uuid[], ...)` takes: the whole batch
 * travels as a fixed number of parameters, whatever its size.
 */
export interface ContentColumns {
  readonly contentIds: string[];
  readonly requestIds: string[];
  readonly userIds: number[];
  readonly titles: string[];
  readonly modelsUsed: string[];
  readonly requestedModels: string[];
  readonly prompts: string[];
  readonly outputs: string[];
  readonly cacheHits: string[];
  readonly promptTokens: (number | null)[];
  readonly completionTokens: (number | null)[];
  readonly latenciesMs: number[];
  readonly requestedAts: string[];
  readonly generatedAts: string[];
}

/** The first event of each contentId, in batch order: a redelivered copy in the same batch is a duplicate. */
export function uniqueByContentId(events: readonly ContentGenerated[]): ContentGenerated[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    if (seen.has(event.contentId)) return false;
    seen.add(event.contentId);
    return true;
  });
}

export function toContentColumns(events: readonly ContentGenerated[]): ContentColumns {
  const columns: ContentColumns = {
    contentIds: [],
    requestIds: [],
    userIds: [],
    titles: [],
    modelsUsed: [],
    requestedModels: [],
    prompts: [],
    outputs: [],
    cacheHits: [],
    promptTokens: [],
    completionTokens: [],
    latenciesMs: [],
    requestedAts: [],
    generatedAts: [],
  };
  for (const event of events) {
    columns.contentIds.push(event.contentId);
    columns.requestIds.push(event.requestId);
    columns.userIds.push(event.userId);
    columns.titles.push(event.title);
    columns.modelsUsed.push(event.modelUsed);
    columns.requestedModels.push(event.model);
    columns.prompts.push(event.prompt);
    columns.outputs.push(event.output);
    columns.cacheHits.push(event.cacheHit);
    columns.promptTokens.push(event.usage.promptTokens);
    columns.completionTokens.push(event.usage.completionTokens);
    columns.latenciesMs.push(event.latencyMs);
    columns.requestedAts.push(timestamp(event, 'requestedAt'));
    columns.generatedAts.push(timestamp(event, 'generatedAt'));
  }
  return columns;
}

/** ISO text, unambiguous whatever the session time zone; a value no Date can hold names its record. */
function timestamp(event: ContentGenerated, field: 'requestedAt' | 'generatedAt'): string {
  const date = new Date(event[field]);
  if (Number.isNaN(date.getTime())) {
    throw new ContractViolationError(
      `content ${event.contentId} has an impossible ${field}: ${event[field]}`,
      {
        details: { contentId: event.contentId, paths: [field] },
      },
    );
  }
  return date.toISOString();
}
