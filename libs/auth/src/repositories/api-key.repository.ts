import { redisCommand } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import { mintApiKey } from '../api-key-token.js';
import type { RateLimit } from '../principal.js';
import { scopesOf, type Scope } from '../scopes.js';
import { TAKE_TOKEN_LUA, rateLimitKey } from './rate-limit.repository.js';

/** An API key's record: everything but its secret, of which only the hash is kept. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly tenant: string;
  readonly scopes: readonly Scope[];
  readonly secretHash: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds; undefined while the key is valid. */
  readonly revokedAt?: number;
  readonly rateLimit?: RateLimit;
}

/** What one request's key check found, in the order it checks: the key, its state, scope, rate. */
export type KeyCheck =
  | { readonly state: 'invalid' | 'revoked' }
  | {
      readonly state: 'scope-missing' | 'allowed';
      readonly tenant: string;
      readonly scopes: readonly Scope[];
    }
  | { readonly state: 'limited'; readonly retryAfterMs: number };

// The whole check of a request's key in one round trip: the record's hash against the given one
// (both SHA-256 of a secret: a timing difference would tell nothing of the secret), revoked, the
// scope (admin grants all), then a token of the key's rate, else of the default one.
const CHECK_KEY = `${TAKE_TOKEN_LUA}
local f = redis.call('HMGET', KEYS[1], 'secretHash', 'tenant', 'scopes', 'revokedAt', 'ratePerSecond', 'rateBurst')
if not f[1] or f[1] ~= ARGV[1] or not f[2] then return {'invalid'} end
if f[4] and f[4] ~= '' then return {'revoked'} end
local scopes = ',' .. (f[3] or '') .. ','
if not (string.find(scopes, ',' .. ARGV[2] .. ',', 1, true) or string.find(scopes, ',admin,', 1, true)) then
  return {'scope-missing', f[2], f[3]}
end
local per_second = tonumber(f[5]) or tonumber(ARGV[3])
local burst = tonumber(f[6]) or tonumber(ARGV[4])
local taken = take_token(KEYS[2], per_second, burst)
if taken[1] == 0 then return {'limited', tostring(taken[2])} end
return {'allowed', f[2], f[3]}`;

interface CheckKeyCommand {
  genstreamCheckApiKey(
    record: string,
    bucket: string,
    secretHash: string,
    needed: Scope,
    perSecond: number,
    burst: number,
  ): Promise<unknown>;
}

export interface NewApiKey {
  readonly name: string;
  readonly tenant: string;
  readonly scopes: readonly Scope[];
  readonly rateLimit?: RateLimit;
}

/**
 * API keys in Redis: a hash per key (`genstream:auth:key:<id>`) and the set of ids
 * (`genstream:auth:keys`), after the deployment's key prefix. Read on every authenticated request;
 * written only by `npm run keys`. Redis must persist (AOF or snapshots) for keys to outlive it.
 */
export class ApiKeyRepository {
  private readonly scripts: CheckKeyCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = '',
  ) {
    // Run on every authenticated request: by its SHA (EVALSHA), loaded once when Redis lacks it.
    redis.defineCommand('genstreamCheckApiKey', { numberOfKeys: 2, lua: CHECK_KEY });
    this.scripts = redis as unknown as CheckKeyCommand;
  }

  /** Stores a new key; returns its record and the token, which nobody can see again. */
  async create(key: NewApiKey, now = Date.now()): Promise<{ record: ApiKeyRecord; token: string }> {
    const minted = mintApiKey();
    const record: ApiKeyRecord = { id: minted.id, secretHash: minted.secretHash, createdAt: now, ...key };
    await redisCommand('store an API key', () =>
      this.redis
        .multi()
        .hset(this.recordKey(minted.id), fieldsOf(record))
        .sadd(this.indexKey(), minted.id)
        .exec(),
    );
    return { record, token: minted.token };
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const fields = await redisCommand('read an API key', () => this.redis.hgetall(this.recordKey(id)));
    return recordOf(id, fields);
  }

  /** Checks a request's key (its id and its secret's hash) and takes a token of its rate. */
  async check(id: string, secretHash: string, needed: Scope, defaultRate: RateLimit): Promise<KeyCheck> {
    const reply = (await redisCommand('check an API key', () =>
      this.scripts.genstreamCheckApiKey(
        this.recordKey(id),
        rateLimitKey(this.keyPrefix, `key:${id}`),
        secretHash,
        needed,
        defaultRate.perSecond,
        defaultRate.burst,
      ),
    )) as string[];
    const [state, first, second] = reply;
    switch (state) {
      case 'allowed':
      case 'scope-missing':
        return { state, tenant: first!, scopes: scopesOf(second ?? '') };
      case 'limited':
        return { state, retryAfterMs: Number(first) };
      default:
        return { state: state === 'revoked' ? 'revoked' : 'invalid' };
    }
  }

  async list(): Promise<ApiKeyRecord[]> {
    const ids = await redisCommand('list API keys', () => this.redis.smembers(this.indexKey()));
    const records = await Promise.all(ids.sort().map((id) => this.find(id)));
    return records.filter((record): record is ApiKeyRecord => record !== undefined);
  }

  /** Marks a key revoked (kept, so `list` still shows it); false when there is no such key. */
  async revoke(id: string, now = Date.now()): Promise<boolean> {
    const record = await this.find(id);
    if (!record) return false;
    if (record.revokedAt === undefined)
      await redisCommand('revoke an API key', () => this.redis.hset(this.recordKey(id), 'revokedAt', now));
    return true;
  }

  /** Deletes a key outright (a tooling key at the end of its run); `revoke` keeps the record. */
  async remove(id: string): Promise<void> {
    await redisCommand('remove an API key', () =>
      this.redis.multi().del(this.recordKey(id)).srem(this.indexKey(), id).exec(),
    );
  }

  private recordKey(id: string): string {
    return `${this.keyPrefix}genstream:auth:key:${id}`;
  }

  private indexKey(): string {
    return `${this.keyPrefix}genstream:auth:keys`;
  }
}

function fieldsOf(record: ApiKeyRecord): Record<string, string> {
  return {
    name: record.name,
    tenant: record.tenant,
    scopes: record.scopes.join(','),
    secretHash: record.secretHash,
    createdAt: String(record.createdAt),
    ...(record.rateLimit
      ? { ratePerSecond: String(record.rateLimit.perSecond), rateBurst: String(record.rateLimit.burst) }
      : {}),
  };
}

/** A stored hash read back; undefined when absent or not a whole record. */
function recordOf(id: string, fields: Record<string, string>): ApiKeyRecord | undefined {
  const { name, tenant, scopes, secretHash, createdAt, revokedAt, ratePerSecond, rateBurst } = fields;
  if (!tenant || !secretHash || scopes === undefined || !createdAt) return undefined;
  const perSecond = Number(ratePerSecond);
  const burst = Number(rateBurst);
  return {
    id,
    name: name ?? '',
    tenant,
    scopes: scopesOf(scopes),
    secretHash,
    createdAt: Number(createdAt),
    ...(revokedAt ? { revokedAt: Number(revokedAt) } : {}),
    ...(perSecond > 0 && burst > 0 ? { rateLimit: { perSecond, burst } } : {}),
  };
}
