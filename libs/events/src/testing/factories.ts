import { randomUUID } from 'node:crypto';
import type {
  ContentGenerated,
  ContentIndexed,
  GenerationFailed,
  GenerationRequested,
} from '../generated/events.js';

// Valid events with realistic values, every field present (so they also equal what decode
// returns). Ids are fresh UUIDs per call; times are fixed so tests stay reproducible.

const REQUESTED_AT = Date.UTC(2025, 10, 21, 9, 30, 0, 125);

const PROMPT =
  'Write a short product description for a reusable water bottle made of recycled steel. ' +
  'Mention that it keeps drinks cold for 24 hours and hot for 12. ' +
  'Keep the tone friendly and avoid superlatives.';

const OUTPUT =
  'Meet the bottle that goes wherever you do. Made from recycled stainless steel, it keeps your ' +
  'water cold for a full day and your coffee hot through a long afternoon. The leak-proof lid ' +
  'clicks shut with one hand, and the powder-coated finish stays easy to grip on the trail or ' +
  'at your desk. Fill it, forget it, and enjoy every sip.';

export function aGenerationRequested(overrides: Partial<GenerationRequested> = {}): GenerationRequested {
  return {
    requestId: randomUUID(),
    userId: 42,
    title: 'Water bottle description',
    prompt: PROMPT,
    model: 'local',
    requestedAt: REQUESTED_AT,
    parameters: { temperature: 0.7, maxTokens: 256, topP: null, systemPrompt: null },
    tenant: 'acme',
    cacheScope: 'USER',
    correlationId: randomUUID(),
    causationId: null,
    source: 'http-api',
    ...overrides,
  };
}

/** The answer to `request` (default: a fresh one), carrying its fields as the contract says. */
export function aContentGenerated(
  overrides: Partial<ContentGenerated> = {},
  request: GenerationRequested = aGenerationRequested(),
): ContentGenerated {
  return {
    ...request,
    contentId: randomUUID(),
    modelUsed: 'local-echo-1',
    output: OUTPUT,
    cacheHit: 'NONE',
    generatedAt: request.requestedAt + 1_840,
    latencyMs: 1_712,
    usage: { promptTokens: 48, completionTokens: 83 },
    ...overrides,
  };
}

export function aContentIndexed(
  overrides: Partial<ContentIndexed> = {},
  content: ContentGenerated = aContentGenerated(),
): ContentIndexed {
  return {
    contentId: content.contentId,
    requestId: content.requestId,
    userId: content.userId,
    vectorSet: 'genstream:vs:content',
    dimension: 384,
    embeddingModel: 'local-hash-384',
    indexedAt: content.generatedAt + 95,
    tenant: content.tenant,
    correlationId: content.correlationId,
    ...overrides,
  };
}

export function aGenerationFailed(
  overrides: Partial<GenerationFailed> = {},
  request: GenerationRequested = aGenerationRequested(),
): GenerationFailed {
  return {
    requestId: request.requestId,
    userId: request.userId,
    reasonCode: 'DEPENDENCY_TIMEOUT',
    message: 'the model provider did not answer within 30 s (3 attempts)',
    retriable: true,
    failedAt: request.requestedAt + 95_000,
    service: 'generation',
    title: request.title,
    prompt: request.prompt,
    model: request.model,
    requestedAt: request.requestedAt,
    parameters: request.parameters,
    tenant: request.tenant,
    correlationId: request.correlationId,
    causationId: request.causationId,
    source: request.source,
    ...overrides,
  };
}
