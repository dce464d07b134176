import { contentIdOf } from '@genstream/events';
import { errorCode } from '@genstream/errors';
import type { ContentGenerated, GenerationFailed, GenerationRequested } from '@genstream/events';
import type { StoredAnswer } from './ports.js';

/** Whether two request ids name the same request (UUIDs compare case-insensitively). */
export function sameRequest(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The request's own fields, which every event about it carries on (downstream never looks it up). */
function requestFields(request: GenerationRequested) {
  const { requestId, userId, title, prompt, model, requestedAt, parameters, tenant } = request;
  const { correlationId, causationId, source } = request;
  return {
    requestId,
    userId,
    title,
    prompt,
    model,
    requestedAt,
    parameters,
    tenant,
    correlationId,
    causationId,
    source,
  };
}

/**
 * The ContentGenerated answering `request` with `answer`. An answer this very request produced
 * (now, or in an earlier delivery whose result a flight or the cache kept) is reported as it was
 * produced: cacheHit NONE, its original generatedAt and latency, so a redelivery republishes the
 * same event. An answer another request produced is an EXACT hit, ready at `servedAt`.
 */
export function contentGenerated(
  request: GenerationRequested,
  answer: StoredAnswer,
  servedAt: number,
  latencyMs: number,
): ContentGenerated {
  const own = sameRequest(answer.requestId, request.requestId);
  return {
    ...requestFields(request),
    cacheScope: request.cacheScope,
    contentId: contentIdOf(request.requestId),
    modelUsed: answer.modelUsed,
    output: answer.output,
    cacheHit: own ? 'NONE' : 'EXACT',
    generatedAt: own ? answer.generatedAt : servedAt,
    latencyMs: own ? (answer.latencyMs ?? latencyMs) : latencyMs,
    usage: { promptTokens: answer.usage.promptTokens, completionTokens: answer.usage.completionTokens },
  };
}

/** The GenerationFailed of a request that will not produce content, with the request's fields. */
export function generationFailed(
  request: GenerationRequested,
  error: unknown,
  failedAt: number,
  service: string,
): GenerationFailed {
  return {
    ...requestFields(request),
    reasonCode: errorCode(error),
    message: error instanceof Error ? error.message : String(error),
    retriable: false,
    failedAt,
    service,
  };
}
