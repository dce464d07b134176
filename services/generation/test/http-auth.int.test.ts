import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiKeyRepository } from '@genstream/auth';
import { testApiKey } from '@genstream/service-testing';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeneration, type GenerationApp } from './support/generation-app.js';

const body = { userId: 42, title: 'Kettle', prompt: 'Describe a glass kettle.', model: 'local' };
const json = { 'content-type': 'application/json' };
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'genstream';

/** A JWKS endpoint on a free port, serving one RSA public key, as an identity provider does. */
async function jwksServer(publicKey: CryptoKey): Promise<{ url: string; server: Server }> {
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, server };
}

describe('HTTP API authentication (in-process, real Redis and Kafka)', () => {
  let app: GenerationApp;
  let jwks: { url: string; server: Server };
  let signingKey: CryptoKey;
  const call = (path: string, credential: string | undefined, init: RequestInit = {}) =>
    fetch(`${app.service.url}${path}`, {
      ...init,
      headers: { ...json, ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...init.headers },
    });
  let acceptedCount = 0;
  const post = async (credential: string | undefined, extra: object = {}) => {
    const answer = await call('/v1/generations', credential, {
      method: 'POST',
      body: JSON.stringify({ ...body, ...extra }),
    });
    if (answer.status === 202) acceptedCount++;
    return answer;
  };
  /** The GenerationRequested a POST published (every accepted one so far is read, then picked). */
  const published = async (requestId: string) =>
    (await app.topics.read('GenerationRequested', acceptedCount)).find(
      (event) => event.requestId === requestId,
    );
  const token = (
    claims: Record<string, unknown>,
    options: { expiresIn?: string; key?: CryptoKey; audience?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('user-7')
      .setIssuer(ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    jwks = await jwksServer(pair.publicKey);
    app = await startGeneration('gen_auth', {
      env: { AUTH_JWKS_URL: jwks.url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE },
    });
  });
  afterAll(async () => {
    await app?.[Symbol.asyncDispose]();
    jwks?.server.close();
  });

  it('refuses a request without a credential, or with a bad one, with a 401 JSON error', async () => {
    const none = await post(undefined);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="genstream"');
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      `Bearer gsk_${'0'.repeat(16)}_${'A'.repeat(43)}`,
      'Bearer x.y.z',
    ]) {
      const answer = await call('/v1/generations', undefined, {
        method: 'POST',
        body: '{}',
        headers: { authorization },
      });
      expect(answer.status, authorization).toBe(401);
      expect(await answer.json()).toMatchObject({ error: { code: 'CREDENTIAL_INVALID' } });
    }
    // Health, metrics and the OpenAPI document stay open (health may still say 503 while starting).
    for (const path of ['/health', '/health/live', '/metrics', '/openapi.json'])
      expect([200, 503], path).toContain((await fetch(`${app.service.url}${path}`)).status);
  });

  it('refuses a missing scope (403), a revoked key (401), and publishes nothing for either', async () => {
    const readOnly = await testApiKey(app.redis, { tenant: 'acme', scopes: ['read'] });
    const refused = await post(readOnly);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'SCOPE_MISSING' } });
    const keys = new ApiKeyRepository(app.redis.redis, app.redis.prefix);
    const revokedToken = await testApiKey(app.redis, { tenant: 'acme', scopes: ['generate'] });
    expect((await post(revokedToken)).status).toBe(202);
    await keys.revoke(revokedToken.split('_')[1]!);
    const revoked = await post(revokedToken);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { code: 'CREDENTIAL_REVOKED' } });
  });

  it("takes the tenant from the key, and shows a request's status to its own tenant only", async () => {
    const acme = await testApiKey(app.redis, { tenant: 'acme', scopes: ['generate', 'read'] });
    const globex = await testApiKey(app.redis, { tenant: 'globex', scopes: ['read'] });
    const accepted = await post(acme);
    expect(accepted.status).toBe(202);
    const { requestId } = (await accepted.json()) as { requestId: string };
    expect(await published(requestId)).toMatchObject({ requestId, tenant: 'acme' });
    expect((await call(`/v1/generations/${requestId}`, acme)).status).toBe(200);
    const hidden = await call(`/v1/generations/${requestId}`, globex);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toMatchObject({ error: { code: 'REQUEST_NOT_FOUND' } });
    const mismatch = await post(acme, { tenant: 'globex' });
    expect(mismatch.status).toBe(403);
    expect(await mismatch.json()).toMatchObject({ error: { code: 'TENANT_MISMATCH' } });
    // An admin credential (operators, tooling) sees every tenant and may name one.
    const admin = await testApiKey(app.redis, { tenant: 'ops', scopes: ['admin'] });
    expect((await call(`/v1/generations/${requestId}`, admin)).status).toBe(200);
    const onBehalf = await post(admin, { tenant: 'globex' });
    expect(onBehalf.status).toBe(202);
    const { requestId: forGlobex } = (await onBehalf.json()) as { requestId: string };
    expect(await published(forGlobex)).toMatchObject({ tenant: 'globex' });
  });

  it('answers 429 with Retry-After once a key has spent its rate', async () => {
    const slow = await testApiKey(app.redis, {
      tenant: 'acme',
      scopes: ['read'],
      rateLimit: { perSecond: 0.5, burst: 2 },
    });
    const path = '/v1/generations/8d0b0c3e-6d0c-4f7a-9d6e-0c1f5d2b9a10';
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(path, slow)).status);
    expect(statuses).toEqual([404, 404, 429]);
    const limited = await call(path, slow);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('accepts a JWT of the configured issuer, its tenant from the claim, and refuses forged or expired ones', async () => {
    const good = await token({ tenant: 'initech', scope: 'generate read' });
    const accepted = await post(good);
    expect(accepted.status).toBe(202);
    const { requestId } = (await accepted.json()) as { requestId: string };
    expect(await published(requestId)).toMatchObject({ tenant: 'initech' });

    const other = await generateKeyPair('RS256');
    const cases: [string, string, string][] = [
      [
        'expired',
        await token({ tenant: 'initech', scope: 'generate' }, { expiresIn: '-2m' }),
        'CREDENTIAL_EXPIRED',
      ],
      [
        'forged',
        await token({ tenant: 'initech', scope: 'generate' }, { key: other.privateKey }),
        'CREDENTIAL_INVALID',
      ],
      [
        'other audience',
        await token({ tenant: 'initech', scope: 'generate' }, { audience: 'x' }),
        'CREDENTIAL_INVALID',
      ],
      ['no tenant', await token({ scope: 'generate' }), 'CREDENTIAL_INVALID'],
      [
        'alg none',
        `${b64({ alg: 'none' })}.${b64({ sub: 'u', tenant: 'initech', scope: 'generate', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })}.`,
        'CREDENTIAL_INVALID',
      ],
    ];
    for (const [what, jwt, code] of cases) {
      const answer = await post(jwt);
      expect(answer.status, what).toBe(401);
      expect(await answer.json(), what).toMatchObject({ error: { code } });
    }
    const noScope = await post(await token({ tenant: 'initech', scope: 'read' }));
    expect(noScope.status).toBe(403);
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
