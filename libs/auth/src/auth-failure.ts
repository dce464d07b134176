/** Why a request was refused, with the HTTP status each answer gets. */
export const AUTH_FAILURES = {
  /** No credential at all. */
  UNAUTHENTICATED: 401,
  /** A credential that is malformed, unknown, forged, or of the wrong issuer or audience. */
  CREDENTIAL_INVALID: 401,
  CREDENTIAL_EXPIRED: 401,
  CREDENTIAL_REVOKED: 401,
  /** A valid credential without the scope the route needs. */
  SCOPE_MISSING: 403,
  /** The body names another tenant than the credential's. */
  TENANT_MISMATCH: 403,
  RATE_LIMITED: 429,
  /** The JWKS could not be fetched: not the caller's fault. */
  AUTH_UNAVAILABLE: 503,
} as const;

export type AuthFailureCode = keyof typeof AUTH_FAILURES;

export class AuthFailure extends Error {
  override readonly name = 'AuthFailure';
  readonly status: number;

  constructor(
    readonly code: AuthFailureCode,
    message: string,
    /** When refused for its rate: how long to wait before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.status = AUTH_FAILURES[code];
  }
}

/** The OpenAPI descriptions of the answers AuthGuard adds to a route (403 is the route's own). */
export const AUTH_ERRORS = {
  401: 'UNAUTHENTICATED (no credential), CREDENTIAL_INVALID, CREDENTIAL_EXPIRED or CREDENTIAL_REVOKED',
  429: 'RATE_LIMITED: too many requests for this credential (Retry-After says when to try again)',
} as const;
