import { aGenerationRequested } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { normalizePrompt, responseCacheKey, type CacheKeyRequest } from './cache-key.js';

const base: CacheKeyRequest = {
  model: 'local',
  prompt: 'Write a haiku about the sea',
  parameters: { temperature: 0.7, maxTokens: 256, topP: null, systemPrompt: 'Be brief.' },
  cacheScope: 'USER',
  tenant: 'acme',
  userId: 42,
};

const keyOf = (changes: Partial<CacheKeyRequest>) => responseCacheKey({ ...base, ...changes });
const withParameters = (changes: Partial<CacheKeyRequest['parameters']>) =>
  keyOf({ parameters: { ...base.parameters, ...changes } });

describe('responseCacheKey', () => {
  it('is a sha256 hex digest', () => {
    expect(responseCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['surrounding whitespace', { prompt: '  Write a haiku about the sea\n' }],
    ['inner whitespace runs, tabs and newlines', { prompt: 'Write  a\thaiku\nabout   the sea' }],
    ['non-breaking and other Unicode spaces', { prompt: 'Write\u00a0a haiku\u2003about the sea' }],
    [
      'property order',
      { parameters: { systemPrompt: 'Be brief.', topP: null, maxTokens: 256, temperature: 0.7 } },
    ],
    ['the tenant, in USER scope', { tenant: 'other' }],
  ])('is the same whatever the %s', (_label, changes) => {
    expect(keyOf(changes)).toBe(responseCacheKey(base));
  });

  it('is the same for the NFC and NFD spellings of a text', () => {
    const composed = 'Résumé of a café'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(keyOf({ prompt: decomposed })).toBe(keyOf({ prompt: composed }));
  });

  it('is the same for the request and the content generated from it', () => {
    const request = aGenerationRequested();
    expect(responseCacheKey({ ...request, output: 'x', contentId: 'y' } as CacheKeyRequest)).toBe(
      responseCacheKey(request),
    );
  });

  it.each([
    ['model', keyOf({ model: 'gpt-4o' })],
    ['prompt', keyOf({ prompt: 'Write a haiku about the lake' })],
    ['prompt case', keyOf({ prompt: 'write a haiku about the sea' })],
    ['temperature', withParameters({ temperature: 0.8 })],
    ['temperature given vs default', withParameters({ temperature: null })],
    ['max tokens', withParameters({ maxTokens: 512 })],
    ['top p', withParameters({ topP: 0.9 })],
    ['system prompt', withParameters({ systemPrompt: 'Be verbose.' })],
    ['no system prompt', withParameters({ systemPrompt: null })],
    ['user, in USER scope', keyOf({ userId: 43 })],
    ['scope', keyOf({ cacheScope: 'TENANT' })],
  ])('changes with the %s', (_label, key) => {
    expect(key).toBeDefined();
    expect(key).not.toBe(responseCacheKey(base));
  });

  it('shares within a tenant in TENANT scope, and never across tenants', () => {
    const tenant = (changes: Partial<CacheKeyRequest>) => keyOf({ cacheScope: 'TENANT', ...changes });
    expect(tenant({ userId: 1 })).toBe(tenant({ userId: 2 }));
    expect(tenant({ tenant: 'acme' })).not.toBe(tenant({ tenant: 'globex' }));
  });

  it('falls back to the user in TENANT scope without a tenant', () => {
    const noTenant = (userId: number) => keyOf({ cacheScope: 'TENANT', tenant: null, userId });
    expect(noTenant(1)).not.toBe(noTenant(2));
    expect(noTenant(1)).toBe(noTenant(1));
  });

  it('keeps a tenant named like a user id apart from that user', () => {
    expect(keyOf({ cacheScope: 'TENANT', tenant: '42' })).not.toBe(keyOf({ cacheScope: 'USER', userId: 42 }));
  });

  it('is undefined for BYPASS: never cached', () => {
    expect(keyOf({ cacheScope: 'BYPASS' })).toBeUndefined();
  });
});

describe('normalizePrompt', () => {
  it('composes, trims and collapses whitespace', () => {
    expect(normalizePrompt(' \tCafe\u0301  au\n\nlait ')).toBe('Café au lait');
  });
});
