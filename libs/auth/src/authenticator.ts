import { hashSecret, looksLikeApiKey, parseApiKey } from './api-key-token.js';
import type { AuthConfig } from './auth-config.js';
import { AuthFailure } from './auth-failure.js';
import type { JwtVerifier } from './jwt-verifier.js';
import type { Principal, RateLimit } from './principal.js';
import type { ApiKeyRepository } from './repositories/api-key.repository.js';
import type { RateLimitRepository } from './repositories/rate-limit.repository.js';
import { grants, type Scope } from './scopes.js';

/** The request headers a credential can come in (lowercase names, as Node gives them). */
export interface CredentialHeaders {
  readonly authorization?: string;
  readonly 'x-api-key'?: string;
}

/**
 * Who a request comes from and whether it may do what it asks: the credential (an API key in
 * `Authorization: Bearer` or `X-API-Key`, or a JWT in `Authorization: Bearer`), the scope the
 * route needs, then the caller's rate. Throws an AuthFailure saying which of them failed.
 */
export class Authenticator {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly rates: RateLimitRepository,
    private readonly config: AuthConfig,
    private readonly jwt: JwtVerifier | undefined,
  ) {}

  async authorize(headers: CredentialHeaders, needed: Scope): Promise<Principal> {
    const token = tokenOf(headers);
    if (looksLikeApiKey(token)) return this.apiKey(token, needed);
    if (!this.jwt || token.split('.').length !== 3)
      throw new AuthFailure('CREDENTIAL_INVALID', this.jwt ? 'not an API key or a JWT' : 'not an API key');
    const principal = await this.jwt.verify(token);
    if (!grants(principal.scopes, needed)) throw scopeMissing(needed);
    const decision = await this.rates.take(principal.subject, this.defaultRate());
    if (!decision.allowed) throw rateLimited(decision.retryAfterMs);
    return principal;
  }

  /** One round trip to Redis: the key, its state, its scope and its rate, checked by one script. */
  private async apiKey(token: string, needed: Scope): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw new AuthFailure('CREDENTIAL_INVALID', 'the API key is malformed');
    const check = await this.keys.check(parsed.id, hashSecret(parsed.secret), needed, this.defaultRate());
    switch (check.state) {
      // An unknown id and a wrong secret get the same answer: the reply must not reveal which ids exist.
      case 'invalid':
        throw new AuthFailure('CREDENTIAL_INVALID', 'the API key is not valid');
      case 'revoked':
        throw new AuthFailure('CREDENTIAL_REVOKED', 'the API key was revoked');
      case 'scope-missing':
        throw scopeMissing(needed);
      case 'limited':
        throw rateLimited(check.retryAfterMs);
      case 'allowed':
        return { kind: 'api-key', subject: `key:${parsed.id}`, tenant: check.tenant, scopes: check.scopes };
    }
  }

  private defaultRate(): RateLimit {
    return { perSecond: this.config.AUTH_RATE_LIMIT_PER_SECOND, burst: this.config.AUTH_RATE_LIMIT_BURST };
  }
}

function scopeMissing(needed: Scope): AuthFailure {
  return new AuthFailure('SCOPE_MISSING', `this credential lacks the ${needed} scope`);
}

function rateLimited(retryAfterMs: number): AuthFailure {
  return new AuthFailure('RATE_LIMITED', 'too many requests for this credential', retryAfterMs);
}

/** The one credential of a request; two different ones, or a non-Bearer scheme, are refused. */
export function tokenOf(headers: CredentialHeaders): string {
  const authorization = headers.authorization?.trim();
  const apiKey = headers['x-api-key']?.trim();
  let bearer: string | undefined;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AuthFailure('CREDENTIAL_INVALID', 'Authorization must be "Bearer <token>"');
    bearer = match[1];
  }
  if (bearer && apiKey && bearer !== apiKey)
    throw new AuthFailure('CREDENTIAL_INVALID', 'Authorization and X-API-Key name different credentials');
  const token = bearer ?? apiKey;
  if (!token)
    throw new AuthFailure(
      'UNAUTHENTICATED',
      'a credential is required: Authorization: Bearer <API key or JWT>',
    );
  return token;
}
