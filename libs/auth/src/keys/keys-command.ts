import { parseArgs } from 'node:util';
import { isTenantName, type RateLimit } from '../principal.js';
import type { ApiKeyRecord, NewApiKey } from '../repositories/api-key.repository.js';
import { parseScopeList } from '../scopes.js';

export const KEYS_USAGE = `usage: npm run keys -- <command>
  create --tenant T --scopes generate,read,search [--name N] [--rate PER_SECOND --burst N]
  list
  revoke <key id>
scopes: generate, read, search, feedback, erase, admin (admin may do everything)`;

export type KeysCommand =
  | { readonly action: 'create'; readonly key: NewApiKey }
  | { readonly action: 'list' }
  | { readonly action: 'revoke'; readonly id: string };

/** The command of `npm run keys -- ...`; throws a RangeError saying what is wrong. */
export function parseKeysCommand(args: readonly string[]): KeysCommand {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      name: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
    },
  });
  const [action, ...rest] = positionals;
  if (action === 'list' && rest.length === 0) return { action };
  if (action === 'revoke' && rest.length === 1 && /^[0-9a-f]{16}$/.test(rest[0]!))
    return { action, id: rest[0]! };
  if (action === 'revoke') throw new RangeError('revoke takes one key id (16 hex digits, as `list` shows)');
  if (action !== 'create' || rest.length > 0)
    throw new RangeError(`unknown command: ${positionals.join(' ') || '(none)'}`);
  const tenant = values.tenant?.trim();
  if (!tenant) throw new RangeError('create needs --tenant');
  if (!isTenantName(tenant))
    throw new RangeError(
      '--tenant must be letters, digits and . _ : @ - (at most 128, starting with a letter or digit)',
    );
  if (values.scopes === undefined) throw new RangeError('create needs --scopes');
  const rateLimit = rateLimitOf(values.rate, values.burst);
  const key = { name: values.name ?? '', tenant, scopes: parseScopeList(values.scopes) };
  return { action, key: rateLimit ? { ...key, rateLimit } : key };
}

function rateLimitOf(rate: string | undefined, burst: string | undefined): RateLimit | undefined {
  if (rate === undefined && burst === undefined) return undefined;
  const perSecond = Number(rate);
  const most = Number(burst ?? rate);
  if (!(perSecond > 0) || !Number.isInteger(most) || most < 1)
    throw new RangeError('--rate must be a positive number and --burst a positive integer');
  return { perSecond, burst: most };
}

/** One line per key, for `list`. */
export function keyLines(records: readonly ApiKeyRecord[]): string[] {
  if (records.length === 0) return ['no API keys yet: npm run keys -- create --tenant T --scopes ...'];
  const rows = records.map((record) => [
    record.id,
    record.revokedAt === undefined ? 'valid' : `revoked ${new Date(record.revokedAt).toISOString()}`,
    record.tenant,
    record.scopes.join(','),
    record.rateLimit ? `${record.rateLimit.perSecond}/s burst ${record.rateLimit.burst}` : 'default rate',
    new Date(record.createdAt).toISOString(),
    record.name,
  ]);
  const header = ['id', 'state', 'tenant', 'scopes', 'rate', 'created', 'name'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
