import type { ContentGenerated } from '@genstream/events';
import { execPipeline, redisCommand } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import { responseCacheKey } from '../cache-key.js';
import type { CachedResponse, DoneStatus, FailedStatus, RequestStatus } from '../cache-records.js';
import { parseCachedResponse, parseRequestStatus } from '../parse-records.js';
import { cacheKeys, type CacheKeys } from '../redis-keys.js';

export interface ResponseCacheOptions {
  /** Put before every key; default ''. Tests isolate themselves with it. */
  readonly keyPrefix?: string;
}

export interface GeneratedTtls {
  /** Life of a response cache entry, counted from the answer's generatedAt. */
  readonly ttlSeconds: number;
  /** Life of `user:{userId}:summary`, counted from the write. */
  readonly summaryTtlSeconds: number;
  /** Life of the done status, counted from the write. */
  readonly statusTtlSeconds: number;
}

export interface WriteGeneratedResult {
  /** Response cache entries written. */
  readonly cached: number;
  readonly summaries: number;
  readonly statuses: number;
}

// A failure must not hide a success that came first (a late GenerationFailed after a retry won).
const MARK_FAILED = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, status = pcall(cjson.decode, current)
  if ok and type(status) == 'table' and status.state == 'done' then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/**
 * The Redis side of a generation: the response cache (read by the generation service, written by
 * the cache-updater), each user's latest output and each request's status. Every failure to
 * reach Redis is a StoreUnavailableError.
 */
export class ResponseCacheRepository {
  private readonly keys: CacheKeys;

  constructor(
    private readonly redis: Redis,
    options: ResponseCacheOptions = {},
  ) {
    this.keys = cacheKeys(options.keyPrefix);
  }

  /** The cached answer under `key` (from responseCacheKey), or undefined; an unreadable entry is a miss. */
  async lookup(key: string): Promise<CachedResponse | undefined> {
    const text = await redisCommand('cache lookup', () => this.redis.get(this.keys.response(key)));
    return text === null ? undefined : parseCachedResponse(text);
  }

  /**
   * Records a batch of generated content in ONE pipeline:
   * - the response cache entry, only for answers the model produced (cacheHit NONE) with a
   *   cacheable scope. An EXACT hit writes and refreshes nothing: the TTL bounds how old a served
   *   answer may be, and refreshing it on every hit would keep a popular answer forever. A
   *   SEMANTIC hit is an answer to another prompt; storing it under this exact key would pass a
   *   near match off as an exact one. The entry expires `ttlSeconds` after generatedAt (PXAT),
   *   so a redelivered or late event never extends an answer's life; one already too old is
   *   not written.
   * - `user:{userId}:summary`: the user's latest output (the newest of the batch per user).
   * - the done status of every request.
   * All are plain overwrites, so a redelivered batch leaves the same state.
   */
  async writeGenerated(
    events: readonly ContentGenerated[],
    ttls: GeneratedTtls,
  ): Promise<WriteGeneratedResult> {
    assertTtls(ttls);
    if (events.length === 0) return { cached: 0, summaries: 0, statuses: 0 };
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    let cached = 0;
    for (const event of events) {
      const key = cacheEntryKey(event);
      const expiresAt = event.generatedAt + ttls.ttlSeconds * 1000;
      if (key !== undefined && expiresAt > now) {
        pipeline.set(this.keys.response(key), JSON.stringify(toCachedResponse(event)), 'PXAT', expiresAt);
        cached++;
      }
      pipeline.set(
        this.keys.requestStatus(event.requestId),
        JSON.stringify(toDoneStatus(event)),
        'EX',
        ttls.statusTtlSeconds,
      );
    }
    const latest = latestPerUser(events);
    for (const event of latest) {
      pipeline.set(this.keys.userSummary(event.userId), event.output, 'EX', ttls.summaryTtlSeconds);
    }
    await execPipeline(pipeline, 'write generated content');
    return { cached, summaries: latest.length, statuses: events.length };
  }

  /** Records that a request was accepted, unless it has a status already (never overwrites done). */
  async markAccepted(requestId: string, ttlSeconds: number, tenant: string | null = null): Promise<boolean> {
    assertTtl('ttlSeconds', ttlSeconds);
    const status: RequestStatus = { state: 'accepted', acceptedAt: Date.now(), tenant };
    const reply = await redisCommand('mark accepted', () =>
      this.redis.set(this.keys.requestStatus(requestId), JSON.stringify(status), 'EX', ttlSeconds, 'NX'),
    );
    return reply === 'OK';
  }

  /** Records that a request failed, unless it is already done. False when it was done. */
  async markFailed(
    requestId: string,
    failure: { readonly code: string; readonly message: string; readonly tenant?: string | null },
    ttlSeconds: number,
  ): Promise<boolean> {
    assertTtl('ttlSeconds', ttlSeconds);
    const status: FailedStatus = {
      state: 'failed',
      code: failure.code,
      message: failure.message,
      failedAt: Date.now(),
      tenant: failure.tenant ?? null,
    };
    const reply = await redisCommand('mark failed', () =>
      this.redis.eval(MARK_FAILED, 1, this.keys.requestStatus(requestId), JSON.stringify(status), ttlSeconds),
    );
    return reply === 1;
  }

  /** The request's status, or undefined when unknown or expired. */
  async status(requestId: string): Promise<RequestStatus | undefined> {
    const text = await redisCommand('read status', () => this.redis.get(this.keys.requestStatus(requestId)));
    return text === null ? undefined : parseRequestStatus(text);
  }
}

/** The key to write for this event, or undefined when its answer must not be cached. */
function cacheEntryKey(event: ContentGenerated): string | undefined {
  switch (event.cacheHit) {
    case 'NONE':
      return responseCacheKey(event);
    case 'EXACT':
    case 'SEMANTIC':
      return undefined;
  }
}

function toCachedResponse(event: ContentGenerated): CachedResponse {
  return {
    contentId: event.contentId,
    requestId: event.requestId,
    output: event.output,
    modelUsed: event.modelUsed,
    generatedAt: event.generatedAt,
    usage: { promptTokens: event.usage.promptTokens, completionTokens: event.usage.completionTokens },
  };
}

function toDoneStatus(event: ContentGenerated): DoneStatus {
  return {
    state: 'done',
    contentId: event.contentId,
    output: event.output,
    modelUsed: event.modelUsed,
    generatedAt: event.generatedAt,
    cacheHit: event.cacheHit,
    tenant: event.tenant,
  };
}

function latestPerUser(events: readonly ContentGenerated[]): ContentGenerated[] {
  const latest = new Map<number, ContentGenerated>();
  for (const event of events) {
    const current = latest.get(event.userId);
    if (current === undefined || event.generatedAt >= current.generatedAt) latest.set(event.userId, event);
  }
  return [...latest.values()];
}

function assertTtls(ttls: GeneratedTtls): void {
  assertTtl('ttlSeconds', ttls.ttlSeconds);
  assertTtl('summaryTtlSeconds', ttls.summaryTtlSeconds);
  assertTtl('statusTtlSeconds', ttls.statusTtlSeconds);
}

function assertTtl(name: string, seconds: number): void {
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new RangeError(`${name} must be a positive whole number of seconds, not ${seconds}`);
  }
}
