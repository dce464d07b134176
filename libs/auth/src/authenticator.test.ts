import { describe, expect, it } from 'vitest';
import { hashSecret, mintApiKey, parseApiKey } from './api-key-token.js';
import type { AuthConfig } from './auth-config.js';
import type { AuthFailure } from './auth-failure.js';
import { Authenticator, tokenOf } from './authenticator.js';
import type { RateLimit } from './principal.js';
import type { ApiKeyRepository, KeyCheck } from './repositories/api-key.repository.js';
import type { RateLimitRepository } from './repositories/rate-limit.repository.js';

const config = { AUTH_RATE_LIMIT_PER_SECOND: 5, AUTH_RATE_LIMIT_BURST: 10 } as AuthConfig;

/** An authenticator whose key store answers `answer`, recording what it was asked. */
function setup(answer: KeyCheck) {
  const minted = mintApiKey();
  const asked: [string, string, string, RateLimit][] = [];
  const keys = {
    check: async (id: string, secretHash: string, needed: string, rate: RateLimit) => {
      asked.push([id, secretHash, needed, rate]);
      return answer;
    },
  } as unknown as ApiKeyRepository;
  const rates = {} as RateLimitRepository;
  return { token: minted.token, minted, asked, auth: new Authenticator(keys, rates, config, undefined) };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: AuthFailure) => error,
  );

describe('Authenticator', () => {
  it("asks the key store with the key's id, its secret's hash, the scope and the default rate", async () => {
    const { auth, token, minted, asked } = setup({ state: 'allowed', tenant: 'acme', scopes: ['generate'] });
    await expect(auth.authorize({ authorization: `Bearer ${token}` }, 'generate')).resolves.toEqual({
      kind: 'api-key',
      subject: `key:${minted.id}`,
      tenant: 'acme',
      scopes: ['generate'],
    });
    const secret = parseApiKey(token)!.secret;
    expect(asked).toEqual([[minted.id, hashSecret(secret), 'generate', { perSecond: 5, burst: 10 }]]);
    expect(asked[0]![1]).toBe(minted.secretHash);
  });

  it('turns each refusal of the key store into its answer', async () => {
    const cases: [KeyCheck, string, number][] = [
      [{ state: 'invalid' }, 'CREDENTIAL_INVALID', 401],
      [{ state: 'revoked' }, 'CREDENTIAL_REVOKED', 401],
      [{ state: 'scope-missing', tenant: 'acme', scopes: ['read'] }, 'SCOPE_MISSING', 403],
      [{ state: 'limited', retryAfterMs: 1_500 }, 'RATE_LIMITED', 429],
    ];
    for (const [answer, code, status] of cases) {
      const { auth, token } = setup(answer);
      expect(await refusal(auth.authorize({ 'x-api-key': token }, 'search')), code).toMatchObject({
        code,
        status,
      });
    }
    const limited = setup({ state: 'limited', retryAfterMs: 1_500 });
    expect(await refusal(limited.auth.authorize({ 'x-api-key': limited.token }, 'read'))).toMatchObject({
      retryAfterMs: 1_500,
    });
  });

  it('refuses a malformed key, and a JWT when no JWKS is configured, without asking the store', async () => {
    const { auth, asked } = setup({ state: 'allowed', tenant: 'a', scopes: ['admin'] });
    for (const bad of ['gsk_short', 'not-a-key', 'a.b.c']) {
      expect(await refusal(auth.authorize({ authorization: `Bearer ${bad}` }, 'generate'))).toMatchObject({
        code: 'CREDENTIAL_INVALID',
        status: 401,
      });
    }
    expect(asked).toEqual([]);
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
