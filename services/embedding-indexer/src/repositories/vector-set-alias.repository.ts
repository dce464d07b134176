import type { PartitionEnd } from '@genstream/kafka';
import { redisCommand } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import { VectorSetNames, type VectorSetTarget } from './vector-set-names.js';

/** A reindex as Redis keeps it between runs: enough to resume it into the same version. */
export interface StoredReindex {
  readonly version: number;
  /** The set it builds, without REDIS_KEY_PREFIX. */
  readonly set: string;
  /** The `--embedder` spec, canonical (e.g. `local:256`). */
  readonly spec: string;
  readonly embedder: { readonly name: string; readonly dimension: number };
  readonly group: string;
  /** What search read when it began: the set dropped after the switch. */
  readonly previous: VectorSetTarget;
  /** Epoch ms of the first run. */
  readonly startedAt: number;
  /** The topic's ends when it began: the "total" its progress counts towards. */
  readonly ends: readonly PartitionEnd[];
  /** `switched` once the alias names the new set (the rest is draining and dropping the old one). */
  readonly phase: 'copying' | 'switched';
}

// Version 1 is VECTOR_SET itself, so the first version handed out is 2.
const NEXT_VERSION = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], 1) end
return redis.call('INCR', KEYS[1])`;

/**
 * The alias that says which vector set search reads and the live indexer writes, the version
 * counter, and the record of a reindex in progress (keys of VectorSetNames).
 */
export class VectorSetAliasRepository {
  readonly names: VectorSetNames;

  constructor(
    private readonly redis: Redis,
    private readonly options: { readonly keyPrefix?: string; readonly vectorSet: string },
  ) {
    this.names = new VectorSetNames(options.vectorSet);
  }

  /** The key of `name` in Redis (REDIS_KEY_PREFIX before it). */
  key(name: string): string {
    return `${this.options.keyPrefix ?? ''}${name}`;
  }

  /** What the alias names now; VECTOR_SET when there is none. */
  async current(): Promise<VectorSetTarget> {
    const fields = await redisCommand('read the vector set alias', () =>
      this.redis.hgetall(this.key(this.names.alias)),
    );
    return this.names.targetOf(fields);
  }

  /** The next free version (2 the first time), never handed out twice. */
  async nextVersion(): Promise<number> {
    const version = await redisCommand('allocate a vector set version', () =>
      this.redis.eval(NEXT_VERSION, 1, this.key(this.names.version)),
    );
    return Number(version);
  }

  async reindex(): Promise<StoredReindex | undefined> {
    const text = await redisCommand('read the reindex record', () =>
      this.redis.get(this.key(this.names.reindex)),
    );
    return text === null ? undefined : (JSON.parse(text) as StoredReindex);
  }

  /** Records a new reindex unless one is recorded already; false when another got there first. */
  async claimReindex(reindex: StoredReindex): Promise<boolean> {
    const reply = await redisCommand('record the reindex', () =>
      this.redis.set(this.key(this.names.reindex), JSON.stringify(reindex), 'NX'),
    );
    return reply === 'OK';
  }

  /**
   * Points the alias at the reindex's set and marks the reindex switched, in one MULTI: readers
   * see the old set or the new one, never a half-written alias.
   */
  async switchTo(reindex: StoredReindex, switchedAt = Date.now()): Promise<StoredReindex> {
    const switched: StoredReindex = { ...reindex, phase: 'switched' };
    const alias = this.key(this.names.alias);
    await redisCommand('switch the vector set alias', () =>
      this.redis
        .multi()
        .del(alias)
        .hset(alias, {
          set: reindex.set,
          version: String(reindex.version),
          embedder: reindex.embedder.name,
          dimension: String(reindex.embedder.dimension),
          spec: reindex.spec,
          switchedAt: String(switchedAt),
        })
        .set(this.key(this.names.reindex), JSON.stringify(switched))
        .exec(),
    );
    return switched;
  }

  /** Forgets the reindex (done, or abandoned). */
  async clearReindex(): Promise<void> {
    await redisCommand('clear the reindex record', () => this.redis.del(this.key(this.names.reindex)));
  }

  /** Deletes a vector set; UNLINK frees its memory off the main thread, so Redis does not stall. */
  async dropSet(set: string): Promise<boolean> {
    const removed = await redisCommand('drop a vector set', () => this.redis.unlink(this.key(set)));
    return removed > 0;
  }

  /** Elements of a set (0 when it does not exist). */
  async countOf(set: string): Promise<number> {
    return redisCommand('count a vector set', () => this.redis.vcard(this.key(set)));
  }
}
