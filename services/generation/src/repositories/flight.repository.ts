import { redisCommand } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import type { FlightClaim, FlightStore, StoredAnswer } from '../services/ports.js';
import { generationKeys, type GenerationKeys } from './flight-keys.js';
import { parseFlightResult } from './stored-answers.js';

// KEYS[1] flight result, KEYS[2] lock; ARGV[1] token, ARGV[2] lock TTL (ms).
// Atomic, so a result written between a waiter's read and its SET NX cannot be missed.
const CLAIM = `
local answer = redis.call('GET', KEYS[1])
if answer then return {'answered', answer} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'acquired'} end
return {'busy'}`;

// KEYS[1] lock; ARGV[1] token, ARGV[2] lock TTL (ms). Extends only our own lock.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

// KEYS[1] lock; ARGV[1] token. Compare and delete: never frees a lock that expired and went to another.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// KEYS[1] flight result, KEYS[2] lock; ARGV[1] token, ARGV[2] result JSON, ARGV[3] result TTL (ms).
// The result is written before the lock goes, so a waiter never sees neither.
const COMPLETE = `
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

interface FlightCommands {
  genstreamFlightClaim(flight: string, lock: string, token: string, ttlMs: number): Promise<unknown>;
  genstreamFlightRenew(lock: string, token: string, ttlMs: number): Promise<unknown>;
  genstreamFlightRelease(lock: string, token: string): Promise<unknown>;
  genstreamFlightComplete(
    flight: string,
    lock: string,
    token: string,
    answer: string,
    ttlMs: number,
  ): Promise<unknown>;
}

/**
 * Single flight in Redis: `genstream:lock:{id}` (SET NX PX with a random token, renewed while the
 * holder works, released by compare-and-delete) and `genstream:flight:{id}` (the holder's result,
 * kept a short while so waiters and redeliveries need not wait for the asynchronous cache-updater).
 * Each operation is one script, so one round trip, and atomic.
 */
export class FlightRepository implements FlightStore {
  private readonly keys: GenerationKeys;
  private readonly commands: FlightCommands;

  constructor(redis: Redis, options: { readonly keyPrefix?: string } = {}) {
    this.keys = generationKeys(options.keyPrefix);
    // defineCommand runs each script by its SHA (EVALSHA), loading it once when Redis lacks it.
    redis.defineCommand('genstreamFlightClaim', { numberOfKeys: 2, lua: CLAIM });
    redis.defineCommand('genstreamFlightRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('genstreamFlightRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('genstreamFlightComplete', { numberOfKeys: 2, lua: COMPLETE });
    this.commands = redis as unknown as FlightCommands;
  }

  async claim(flightId: string, token: string, lockTtlMs: number): Promise<FlightClaim> {
    const reply = await redisCommand('claim flight', () =>
      this.commands.genstreamFlightClaim(
        this.keys.flight(flightId),
        this.keys.lock(flightId),
        token,
        lockTtlMs,
      ),
    );
    const [kind, text] = reply as [string, string | undefined];
    if (kind === 'acquired') return { kind: 'acquired' };
    if (kind === 'answered' && text !== undefined) {
      const answer = parseFlightResult(text);
      // An unreadable result is as good as none: wait for the lock to go, then generate.
      if (answer) return { kind: 'answered', answer };
    }
    return { kind: 'busy' };
  }

  async renew(flightId: string, token: string, lockTtlMs: number): Promise<boolean> {
    const reply = await redisCommand('renew flight lock', () =>
      this.commands.genstreamFlightRenew(this.keys.lock(flightId), token, lockTtlMs),
    );
    return reply === 1;
  }

  async complete(flightId: string, token: string, answer: StoredAnswer, resultTtlMs: number): Promise<void> {
    await redisCommand('complete flight', () =>
      this.commands.genstreamFlightComplete(
        this.keys.flight(flightId),
        this.keys.lock(flightId),
        token,
        JSON.stringify(answer),
        resultTtlMs,
      ),
    );
  }

  async release(flightId: string, token: string): Promise<void> {
    await redisCommand('release flight lock', () =>
      this.commands.genstreamFlightRelease(this.keys.lock(flightId), token),
    );
  }
}
