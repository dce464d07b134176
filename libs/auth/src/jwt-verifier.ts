import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig } from './auth-config.js';
import { AuthFailure } from './auth-failure.js';
import { isTenantName, type Principal } from './principal.js';
import { scopesOf } from './scopes.js';

/**
 * JWT bearer tokens, verified with jose against the configured JWKS (fetched on first use and
 * again when a token names an unknown key id): signature, `iss`, `aud`, `exp`/`nbf` within the
 * clock skew, and asymmetric algorithms only, so no shared secret can be forged with.
 */
export class JwtVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: AuthConfig & { readonly AUTH_JWKS_URL: string }) {
    this.keys = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), { timeoutDuration: 5_000 });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.AUTH_JWT_ISSUER,
        audience: this.config.AUTH_JWT_AUDIENCE,
        clockTolerance: this.config.AUTH_JWT_CLOCK_SKEW_SECONDS,
        algorithms: [
          'RS256',
          'RS384',
          'RS512',
          'PS256',
          'PS384',
          'PS512',
          'ES256',
          'ES384',
          'ES512',
          'EdDSA',
        ],
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw failureOf(error);
    }
    const tenant = payload[this.config.AUTH_JWT_TENANT_CLAIM];
    if (typeof tenant !== 'string' || !isTenantName(tenant))
      throw new AuthFailure(
        'CREDENTIAL_INVALID',
        `the token's ${this.config.AUTH_JWT_TENANT_CLAIM} claim is not a tenant name`,
      );
    const scope = payload.scope ?? payload.scp;
    const scopes =
      typeof scope === 'string' || Array.isArray(scope) ? scopesOf(scope as string | string[]) : [];
    return { kind: 'jwt', subject: `jwt:${payload.sub!}`, tenant, scopes };
  }
}

function failureOf(error: unknown): AuthFailure {
  if (error instanceof errors.JWTExpired)
    return new AuthFailure('CREDENTIAL_EXPIRED', 'the token has expired');
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError))
    return new AuthFailure('AUTH_UNAVAILABLE', 'the token issuer keys could not be fetched');
  if (error instanceof errors.JWTClaimValidationFailed)
    return new AuthFailure('CREDENTIAL_INVALID', `the token's ${error.claim} claim is not accepted`);
  return new AuthFailure('CREDENTIAL_INVALID', 'the token is not valid');
}
