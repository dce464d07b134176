/**
 * What a credential may do. `admin` may do everything; the others each open one kind of route:
 * generate (POST /v1/generations), read (a request's status, content), search (GET /v1/search),
 * feedback, erase.
 */
export const SCOPES = ['generate', 'read', 'search', 'feedback', 'erase', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/**
 * The scopes of a comma- or space-separated list (a key's record, a JWT's `scope` claim), unknown
 * ones dropped: a token minted for another service's scopes grants nothing here.
 */
export function scopesOf(list: string | readonly string[]): Scope[] {
  const names = typeof list === 'string' ? list.split(/[\s,]+/) : list;
  return [...new Set(names.map((name) => name.trim()).filter(isScope))];
}

/** The scopes of a `--scopes generate,read` argument: every name must be known. */
export function parseScopeList(list: string): Scope[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !isScope(name));
  if (unknown.length > 0)
    throw new RangeError(`unknown scope ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  if (names.length === 0) throw new RangeError(`at least one scope is needed (known: ${SCOPES.join(', ')})`);
  return scopesOf(names);
}

export function grants(scopes: readonly Scope[], needed: Scope): boolean {
  return scopes.includes(needed) || scopes.includes('admin');
}
