import { describe, expect, it } from 'vitest';
import { mintApiKey } from './api-key-token.js';
import type { AuthConfig } from './auth-config.js';
import type { AuthFailure } from './auth-failure.js';
import { Authenticator, tokenOf } from './authenticator.js';
import type { RateLimit } from './principal.js';
import type { ApiKeyRecord, ApiKeyRepository } from './repositories/api-key.repository.js';
import type { RateLimitRepository } from './repositories/rate-limit.repository.js';

const config = { AUTH_RATE_LIMIT_PER_SECOND: 5, AUTH_RATE_LIMIT_BURST: 10 } as AuthConfig;

function setup(record: Partial<ApiKeyRecord> = {}, allowed = true) {
  const minted = mintApiKey();
  const stored: ApiKeyRecord = {
    id: minted.id,
    name: 'k',
    tenant: 'acme',
    scopes: ['generate'],
    secretHash: minted.secretHash,
    createdAt: 1,
    ...record,
  };
  const limits: [string, RateLimit][] = [];
  const keys = { find: async (id: string) => (id === stored.id ? stored : undefined) } as ApiKeyRepository;
  const rates = {
    take: async (subject: string, limit: RateLimit) => {
      limits.push([subject, limit]);
      return { allowed, retryAfterMs: allowed ? 0 : 1_500 };
    },
  } as RateLimitRepository;
  return {
    token: minted.token,
    id: minted.id,
    limits,
    auth: new Authenticator(keys, rates, config, undefined),
  };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: AuthFailure) => error,
  );

describe('Authenticator', () => {
  it("gives a valid key's tenant and scopes, counted against the default rate", async () => {
    const { auth, token, id, limits } = setup();
    await expect(auth.authorize({ authorization: `Bearer ${token}` }, 'generate')).resolves.toEqual({
      kind: 'api-key',
      subject: `key:${id}`,
      tenant: 'acme',
      scopes: ['generate'],
    });
    expect(limits).toEqual([[`key:${id}`, { perSecond: 5, burst: 10 }]]);
  });

  it("uses the key's own rate, and lets admin do everything", async () => {
    const { auth, token, limits } = setup({ scopes: ['admin'], rateLimit: { perSecond: 1, burst: 2 } });
    await auth.authorize({ 'x-api-key': token }, 'erase');
    expect(limits[0]![1]).toEqual({ perSecond: 1, burst: 2 });
  });

  it('refuses a wrong secret like an unknown key, a revoked key, a missing scope, and a spent rate', async () => {
    const { auth, token, id } = setup();
    const wrongSecret = `gsk_${id}_${'A'.repeat(43)}`;
    const unknown = `gsk_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    for (const bad of [wrongSecret, unknown, 'gsk_short', 'not-a-key']) {
      expect(await refusal(auth.authorize({ authorization: `Bearer ${bad}` }, 'generate'))).toMatchObject({
        code: 'CREDENTIAL_INVALID',
        status: 401,
      });
    }
    expect(await refusal(auth.authorize({ 'x-api-key': token }, 'search'))).toMatchObject({
      code: 'SCOPE_MISSING',
      status: 403,
    });
    const revoked = setup({ revokedAt: 5 });
    expect(await refusal(revoked.auth.authorize({ 'x-api-key': revoked.token }, 'generate'))).toMatchObject({
      code: 'CREDENTIAL_REVOKED',
    });
    const spent = setup({}, false);
    expect(await refusal(spent.auth.authorize({ 'x-api-key': spent.token }, 'generate'))).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterMs: 1_500,
    });
  });
});

describe('tokenOf', () => {
  it('takes Bearer or X-API-Key, and refuses other schemes, two different tokens, or none', () => {
    expect(tokenOf({ authorization: 'bearer  abc ' })).toBe('abc');
    expect(tokenOf({ 'x-api-key': 'abc', authorization: 'Bearer abc' })).toBe('abc');
    const code = (headers: Parameters<typeof tokenOf>[0]) => {
      try {
        tokenOf(headers);
        return 'accepted';
      } catch (error) {
        return (error as AuthFailure).code;
      }
    };
    expect(code({})).toBe('UNAUTHENTICATED');
    expect(code({ authorization: 'Basic dXNlcjpwYXNz' })).toBe('CREDENTIAL_INVALID');
    expect(code({ authorization: 'Bearer a b' })).toBe('CREDENTIAL_INVALID');
    expect(code({ authorization: 'Bearer a', 'x-api-key': 'b' })).toBe('CREDENTIAL_INVALID');
  });
});
