import { createHash } from 'node:crypto';
import type { CacheScope, GenerationParameters } from '@genstream/events';

/** What decides an answer. GenerationRequested and ContentGenerated both fit. */
export interface CacheKeyRequest {
  readonly model: string;
  readonly prompt: string;
  readonly parameters: Readonly<GenerationParameters>;
  readonly cacheScope: CacheScope;
  readonly tenant: string | null;
  readonly userId: number;
}

// Bump when the key's recipe changes: old entries are then simply never found again.
const KEY_VERSION = 1;

/**
 * The response cache key of a request: sha256 (hex) of a canonical JSON of everything that
 * changes the answer (model, sampling parameters, normalized prompt and system prompt) and of who
 * may share it (the user, or the tenant). Undefined for BYPASS: such requests are never cached.
 * TENANT scope without a tenant falls back to the user: sharing across every tenant-less request
 * would leak answers between users.
 */
export function responseCacheKey(request: CacheKeyRequest): string | undefined {
  const scope = sharingScope(request);
  if (scope === undefined) return undefined;
  const { temperature, maxTokens, topP, systemPrompt } = request.parameters;
  // Built field by field, so the JSON text (and the hash) does not depend on property order.
  const canonical = JSON.stringify([
    KEY_VERSION,
    scope,
    request.model,
    normalizePrompt(request.prompt),
    temperature ?? null,
    maxTokens ?? null,
    topP ?? null,
    systemPrompt === null || systemPrompt === undefined ? null : normalizePrompt(systemPrompt),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The prompt as the cache compares it: Unicode NFC (the same text typed on different systems),
 * trimmed, every run of whitespace one space.
 */
export function normalizePrompt(prompt: string): string {
  return prompt.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

function sharingScope(request: CacheKeyRequest): [string, string | number] | undefined {
  switch (request.cacheScope) {
    case 'BYPASS':
      return undefined;
    case 'TENANT':
      if (request.tenant !== null) return ['tenant', request.tenant];
      return ['user', request.userId];
    case 'USER':
      return ['user', request.userId];
  }
}
