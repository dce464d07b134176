import type { Scope } from './scopes.js';

/** How many requests a caller may make: `perSecond` on average, up to `burst` at once. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Who is calling, as its credential says: never taken from the request body. */
export interface Principal {
  readonly kind: 'api-key' | 'jwt';
  /** The key's id (`gsk_<id>_...`) or the token's `sub`: what the rate limit counts. */
  readonly subject: string;
  readonly tenant: string;
  readonly scopes: readonly Scope[];
}

/**
 * The one tenant a caller may see and act for; undefined for every tenant: a service running with
 * AUTH=off (no caller), or an `admin` credential (operators and the tooling), which may also name
 * any tenant in a request body.
 */
export function tenantBoundary(caller: Principal | undefined): string | undefined {
  return caller === undefined || caller.scopes.includes('admin') ? undefined : caller.tenant;
}

// Tenant names end up in store keys and in vector-set FILTER expressions (which have no escapes):
// a small alphabet keeps them safe everywhere.
const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export function isTenantName(value: string): boolean {
  return TENANT_NAME.test(value);
}
