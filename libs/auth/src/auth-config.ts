import { integer, oneOf, text, url, type ConfigOf } from '@genstream/config';
import { optional } from '@genstream/service';

/**
 * The variables of a service with an HTTP API, spread into its schema. AUTH=off is for a service
 * behind a gateway that authenticates already; everything else runs with it on.
 */
export const authConfig = {
  AUTH: oneOf(['on', 'off'], 'on'),
  /** Set: JWT bearer tokens are accepted too, verified against this JWKS (fetched and cached). */
  AUTH_JWKS_URL: optional(url(['http:', 'https:'])),
  /** The `iss` a token must carry; required with AUTH_JWKS_URL. */
  AUTH_JWT_ISSUER: optional(text()),
  /** The `aud` a token must carry; required with AUTH_JWKS_URL. */
  AUTH_JWT_AUDIENCE: optional(text()),
  /** How far `exp` and `nbf` may be off, for clocks that differ. */
  AUTH_JWT_CLOCK_SKEW_SECONDS: integer({ min: 0, max: 600, fallback: 30 }),
  /** The claim that names the caller's tenant. */
  AUTH_JWT_TENANT_CLAIM: text('tenant'),
  /** Requests per second of a caller whose key sets no limit of its own (every JWT caller). */
  AUTH_RATE_LIMIT_PER_SECOND: integer({ min: 1, max: 1_000_000, fallback: 50 }),
  /** How many requests such a caller may make at once, above its rate. */
  AUTH_RATE_LIMIT_BURST: integer({ min: 1, max: 1_000_000, fallback: 100 }),
};

export type AuthConfig = ConfigOf<typeof authConfig>;

/** The problems of a combination the single variables cannot express; empty when none. */
export function authConfigProblems(config: AuthConfig): string[] {
  if (config.AUTH_JWKS_URL === undefined) return [];
  return (['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE'] as const)
    .filter((name) => config[name] === undefined)
    .map(
      (name) =>
        `${name} is required with AUTH_JWKS_URL (a token's ${name === 'AUTH_JWT_ISSUER' ? 'iss' : 'aud'})`,
    );
}
