import { describe, expect, it } from 'vitest';
import { hashSecret, mintApiKey, parseApiKey } from './api-key-token.js';
import { isTenantName } from './principal.js';
import { grants, parseScopeList, scopesOf } from './scopes.js';

describe('scopes', () => {
  it('reads lists, dropping unknown names; a --scopes list must be all known', () => {
    expect(scopesOf('generate read  bogus,search')).toEqual(['generate', 'read', 'search']);
    expect(scopesOf(['erase', 'erase'])).toEqual(['erase']);
    expect(parseScopeList('generate, read')).toEqual(['generate', 'read']);
    expect(() => parseScopeList('generate,root')).toThrow(/unknown scope root/);
    expect(() => parseScopeList(' , ')).toThrow(/at least one scope/);
  });

  it('grants what is held, and everything to admin', () => {
    expect(grants(['read'], 'read')).toBe(true);
    expect(grants(['read'], 'generate')).toBe(false);
    expect(grants(['admin'], 'erase')).toBe(true);
  });
});

describe('API key tokens', () => {
  it('mints a key whose secret matches its stored hash, and no other', () => {
    const minted = mintApiKey();
    const parsed = parseApiKey(minted.token)!;
    expect(parsed.id).toBe(minted.id);
    expect(minted.token).not.toContain(minted.secretHash);
    expect(hashSecret(parsed.secret)).toBe(minted.secretHash);
    expect(hashSecret(parsed.secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).not.toBe(
      minted.secretHash,
    );
    expect(parseApiKey(`${minted.token}x`)).toBeUndefined();
  });

  it('keeps tenant names to a safe alphabet', () => {
    expect(isTenantName('acme-eu.prod:team@1')).toBe(true);
    for (const bad of ['', '-acme', 'a"b', "a'b", 'a b', 'x'.repeat(129)])
      expect(isTenantName(bad)).toBe(false);
  });
});
