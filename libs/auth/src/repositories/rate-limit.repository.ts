import { redisCommand } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import type { RateLimit } from '../principal.js';

export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: how long until one more request would pass. */
  readonly retryAfterMs: number;
}

/**
 * GCRA (a token bucket kept as one number, the theoretical arrival time): each request moves it one
 * interval on; a request that would move it more than `burst` intervals ahead of now is refused.
 * Redis's own clock, so every instance counts against the same time. A Lua function, for the
 * scripts that take a token (this one, and the API key check that takes it in the same trip).
 */
export const TAKE_TOKEN_LUA = `
local function take_token(bucket, per_second, burst)
  local now = redis.call('TIME')
  now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  local interval = 1000 / per_second
  local window = interval * burst
  local tat = tonumber(redis.call('GET', bucket) or now)
  if tat < now then tat = now end
  local next = tat + interval
  if next - now > window then return {0, math.ceil(next - now - window)} end
  redis.call('SET', bucket, tostring(next), 'PX', math.ceil(next - now))
  return {1, 0}
end
`;

const TAKE = `${TAKE_TOKEN_LUA}
return take_token(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))`;

/** Where a caller's bucket lives: `genstream:ratelimit:<subject>` after the key prefix. */
export function rateLimitKey(keyPrefix: string, subject: string): string {
  return `${keyPrefix}genstream:ratelimit:${subject}`;
}

interface TakeTokenCommand {
  genstreamTakeToken(bucket: string, perSecond: number, burst: number): Promise<unknown>;
}

/** Per-caller limits in Redis (`genstream:ratelimit:<subject>`), shared by every instance. */
export class RateLimitRepository {
  private readonly scripts: TakeTokenCommand;

  constructor(
    redis: Redis,
    private readonly keyPrefix = '',
  ) {
    // Run on every JWT-authenticated request: by its SHA (EVALSHA), loaded once when Redis lacks it.
    redis.defineCommand('genstreamTakeToken', { numberOfKeys: 1, lua: TAKE });
    this.scripts = redis as unknown as TakeTokenCommand;
  }

  async take(subject: string, limit: RateLimit): Promise<RateDecision> {
    const reply = (await redisCommand('count a request against its rate limit', () =>
      this.scripts.genstreamTakeToken(rateLimitKey(this.keyPrefix, subject), limit.perSecond, limit.burst),
    )) as [number, number];
    return { allowed: reply[0] === 1, retryAfterMs: reply[1] };
  }
}
