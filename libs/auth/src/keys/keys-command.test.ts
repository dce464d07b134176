import { describe, expect, it } from 'vitest';
import { keyLines, parseKeysCommand } from './keys-command.js';

describe('parseKeysCommand', () => {
  it('reads create, list and revoke', () => {
    expect(
      parseKeysCommand(['create', '--tenant', 'acme', '--scopes', 'generate,read', '--name', 'ci']),
    ).toEqual({
      action: 'create',
      key: { name: 'ci', tenant: 'acme', scopes: ['generate', 'read'] },
    });
    expect(
      parseKeysCommand(['create', '--tenant', 'a', '--scopes', 'search', '--rate', '2.5', '--burst', '5']),
    ).toMatchObject({
      key: { rateLimit: { perSecond: 2.5, burst: 5 } },
    });
    expect(parseKeysCommand(['list'])).toEqual({ action: 'list' });
    expect(parseKeysCommand(['revoke', '0123456789abcdef'])).toEqual({
      action: 'revoke',
      id: '0123456789abcdef',
    });
  });

  it('says what is wrong', () => {
    expect(() => parseKeysCommand([])).toThrow(/unknown command/);
    expect(() => parseKeysCommand(['create', '--scopes', 'read'])).toThrow(/--tenant/);
    expect(() => parseKeysCommand(['create', '--tenant', 'a b', '--scopes', 'read'])).toThrow(
      /--tenant must be/,
    );
    expect(() => parseKeysCommand(['create', '--tenant', 'a'])).toThrow(/--scopes/);
    expect(() => parseKeysCommand(['create', '--tenant', 'a', '--scopes', 'read', '--rate', '0'])).toThrow(
      /--rate/,
    );
    expect(() => parseKeysCommand(['revoke', 'gsk_x'])).toThrow(/one key id/);
  });

  it('lists keys one per line, revoked ones marked', () => {
    const lines = keyLines([
      {
        id: 'a'.repeat(16),
        name: 'ci',
        tenant: 'acme',
        scopes: ['read'],
        secretHash: 'h',
        createdAt: 0,
        revokedAt: 0,
      },
    ]);
    expect(lines[0]).toMatch(/^id\s+state\s+tenant/);
    expect(lines[1]).toContain('revoked 1970-01-01T00:00:00.000Z');
    expect(lines.join('\n')).not.toContain('h ');
  });
});
