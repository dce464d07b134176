import { looksLikeApiKey, parseApiKey, secretMatches } from './api-key-token.js';
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
    const principal = await this.authenticate(tokenOf(headers));
    if (!grants(principal.scopes, needed))
      throw new AuthFailure('SCOPE_MISSING', `this credential lacks the ${needed} scope`);
    const decision = await this.rates.take(principal.subject, principal.rateLimit ?? this.defaultRate());
    if (!decision.allowed)
      throw new AuthFailure('RATE_LIMITED', 'too many requests for this credential', decision.retryAfterMs);
    return principal;
  }

  private async authenticate(token: string): Promise<Principal> {
    if (looksLikeApiKey(token)) return this.apiKey(token);
    if (this.jwt && token.split('.').length === 3) return this.jwt.verify(token);
    throw new AuthFailure('CREDENTIAL_INVALID', this.jwt ? 'not an API key or a JWT' : 'not an API key');
  }

  private async apiKey(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw new AuthFailure('CREDENTIAL_INVALID', 'the API key is malformed');
    const record = await this.keys.find(parsed.id);
    // An unknown id and a wrong secret get the same answer: the reply must not reveal which ids exist.
    if (!record || !secretMatches(parsed.secret, record.secretHash))
      throw new AuthFailure('CREDENTIAL_INVALID', 'the API key is not valid');
    if (record.revokedAt !== undefined)
      throw new AuthFailure('CREDENTIAL_REVOKED', 'the API key was revoked');
    return {
      kind: 'api-key',
      subject: `key:${record.id}`,
      tenant: record.tenant,
      scopes: record.scopes,
      ...(record.rateLimit ? { rateLimit: record.rateLimit } : {}),
    };
  }

  private defaultRate(): RateLimit {
    return { perSecond: this.config.AUTH_RATE_LIMIT_PER_SECOND, burst: this.config.AUTH_RATE_LIMIT_BURST };
  }
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
