import { redisCommand } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import { mintApiKey } from '../api-key-token.js';
import type { RateLimit } from '../principal.js';
import { scopesOf, type Scope } from '../scopes.js';

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
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = '',
  ) {}

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
