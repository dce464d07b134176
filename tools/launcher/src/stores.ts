import { contentIdOf } from '@genstream/events';
import { cacheKeys, responseCacheKey, type CacheKeyRequest, type RequestStatus } from '@genstream/cache';
import type { CacheScope, GenerationParameters } from '@genstream/events';
import { Redis } from 'ioredis';
import { MongoClient, type Collection, type Document } from 'mongodb';
import pg from 'pg';

/** Where the four stores are: the variables the services read. */
export interface StoreUrls {
  readonly DATABASE_URL: string;
  readonly MONGO_URL: string;
  readonly REDIS_URL: string;
}

/** The names the services write under (DESIGN.md section 2). */
export const STORE_NAMES = {
  mongoDatabase: 'genstream',
  mongoCollection: 'aiGenerated',
  vectorSet: 'genstream:vs:content',
  /** Which versioned set replaced it, once `npm run reindex` switched search (a hash, field `set`). */
  vectorSetAlias: 'genstream:vs:content:alias',
  vectorDoc: (contentId: string) => `genstream:vs:doc:${contentId}`,
} as const;

const KEYS = cacheKeys();

/** A row of ai_generated_content joined with its user and model. */
export interface ContentRow {
  readonly id: number;
  readonly content_id: string;
  readonly request_id: string;
  readonly user_id: string;
  readonly user_first_seen_at: Date;
  readonly user_last_seen_at: Date;
  readonly model_id: number | null;
  readonly model_name: string | null;
  readonly title: string;
  readonly model_used: string;
  readonly requested_model: string;
  readonly prompt: string;
  readonly output: string;
  readonly cache_hit: string;
  readonly prompt_tokens: number | null;
  readonly completion_tokens: number | null;
  readonly latency_ms: number;
  readonly requested_at: Date;
  readonly generated_at: Date;
  readonly created_at: Date;
}

const CONTENT_ROWS = `
SELECT c.id, c.content_id, c.request_id, c.user_id, u.first_seen_at AS user_first_seen_at,
       u.last_seen_at AS user_last_seen_at, c.model_id, m.name AS model_name, c.title, c.model_used,
       c.requested_model, c.prompt, c.output, c.cache_hit, c.prompt_tokens, c.completion_tokens,
       c.latency_ms, c.requested_at, c.generated_at, c.created_at
FROM ai_generated_content c
JOIN users u ON u.id = c.user_id
LEFT JOIN models m ON m.id = c.model_id
WHERE c.request_id = ANY($1::uuid[])
ORDER BY c.id`;

/** A document of `genstream.aiGenerated`: `_id` is the contentId. */
export interface ContentDocument extends Document {
  _id: string;
}

/** A value with the time it has left to live (seconds; -1: no expiry). */
export interface Expiring<T> {
  readonly value: T;
  readonly ttlSeconds: number;
}

/** The vector set element of a content, with its hydration hash. */
export interface VectorElement {
  readonly contentId: string;
  readonly attributes: Record<string, unknown> | null;
  /** Fields of `genstream:vs:doc:{contentId}` (title, output). */
  readonly doc: Record<string, string>;
}

/** The fields of a request that decide its response cache key. */
export interface CacheKeySource {
  readonly model: string;
  readonly prompt: string;
  readonly userId: number;
  readonly parameters?: Partial<GenerationParameters> | null;
  readonly cacheScope?: CacheScope | null;
  readonly tenant?: string | null;
}

/**
 * Reads what the four writers wrote, by request id, in bulk: one query per store for any number of
 * requests. For the demo, the end-to-end tests and the latency measurement.
 */
export class StoreReader implements AsyncDisposable {
  private constructor(
    readonly pool: pg.Pool,
    readonly mongo: MongoClient,
    readonly redis: Redis,
  ) {}

  static async connect(urls: StoreUrls): Promise<StoreReader> {
    const pool = new pg.Pool({ connectionString: urls.DATABASE_URL, max: 4 });
    // A reader outlives outages (the fault suite stops PostgreSQL under it): a dead connection
    // fails the query that uses it, and must not crash the process from an unheard 'error' event.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const mongo = new MongoClient(urls.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
    const redis = new Redis(urls.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    // While Redis is away ioredis reconnects, and each command fails with the reason; without a
    // listener every failed reconnect would also print an "unhandled error event".
    redis.on('error', () => {});
    try {
      await Promise.all([pool.query('SELECT 1'), mongo.connect(), redis.connect()]);
    } catch (error) {
      await Promise.allSettled([pool.end(), mongo.close()]);
      redis.disconnect();
      throw new Error(`cannot reach the stores: ${(error as Error).message}`, { cause: error });
    }
    return new StoreReader(pool, mongo, redis);
  }

  get documents(): Collection<ContentDocument> {
    return this.mongo.db(STORE_NAMES.mongoDatabase).collection<ContentDocument>(STORE_NAMES.mongoCollection);
  }

  /** PostgreSQL rows (joined with users and models) by request id. */
  async contentRows(requestIds: readonly string[]): Promise<Map<string, ContentRow[]>> {
    const { rows } = await this.pool.query<ContentRow>(CONTENT_ROWS, [requestIds]);
    return groupBy(rows, (row) => row.request_id);
  }

  /**
   * MongoDB documents by request id, looked up by `_id` (the contentId the request id implies):
   * FerretDB v1 answers `_id` equality of an existing document from its index (~2 ms); a missing
   * `_id` and any other filter (even on the indexed requestId) scan the collection.
   */
  async contentDocuments(requestIds: readonly string[]): Promise<Map<string, ContentDocument>> {
    const found = await Promise.all(
      requestIds.map((requestId) => this.documents.findOne({ _id: contentIdOf(requestId) })),
    );
    const documents = new Map<string, ContentDocument>();
    found.forEach((document, i) => {
      if (document !== null) documents.set(requestIds[i]!, document);
    });
    return documents;
  }

  /**
   * How many documents each request has, whatever their `_id` (1 is right; 2 would be a duplicate
   * written under another contentId). A collection scan on FerretDB: for checks, not for polling.
   */
  async documentCountsByRequestId(requestIds: readonly string[]): Promise<Map<string, number>> {
    const documents = await this.documents
      .find({ requestId: { $in: [...requestIds] } }, { projection: { _id: 1, requestId: 1 } })
      .toArray();
    const counts = new Map(requestIds.map((id) => [id, 0]));
    for (const document of documents) {
      const id = String(document.requestId);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** request id -> content id of the requests that have a row in PostgreSQL (a light query, for polling). */
  async contentIdsInPostgres(requestIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ request_id: string; content_id: string }>(
      'SELECT request_id, content_id FROM ai_generated_content WHERE request_id = ANY($1::uuid[])',
      [requestIds],
    );
    return new Map(rows.map((row) => [row.request_id, row.content_id]));
  }

  /** request id -> content id of the requests that have a document in MongoDB (by `_id`). */
  async contentIdsInMongo(requestIds: readonly string[]): Promise<Map<string, string>> {
    const found = await Promise.all(
      requestIds.map((requestId) =>
        this.documents.findOne({ _id: contentIdOf(requestId) }, { projection: { _id: 1 } }),
      ),
    );
    return new Map(
      requestIds.flatMap((requestId, i) => (found[i] ? [[requestId, String(found[i]._id)] as const] : [])),
    );
  }

  /** `genstream:status:{requestId}` of each request that has one. */
  async statuses(requestIds: readonly string[]): Promise<Map<string, RequestStatus>> {
    if (requestIds.length === 0) return new Map();
    const values = await this.redis.mget(...requestIds.map((id) => KEYS.requestStatus(id)));
    const found = new Map<string, RequestStatus>();
    values.forEach((value, i) => {
      if (value !== null) found.set(requestIds[i]!, JSON.parse(value) as RequestStatus);
    });
    return found;
  }

  /** Vector set elements (attributes and hydration hash) of the contents that are in the set. */
  async vectorElements(contentIds: readonly string[]): Promise<Map<string, VectorElement>> {
    if (contentIds.length === 0) return new Map();
    const set = await this.vectorSet();
    const pipeline = this.redis.pipeline();
    for (const id of contentIds) {
      pipeline.call('VGETATTR', set, id);
      pipeline.hgetall(STORE_NAMES.vectorDoc(id));
    }
    const replies = (await pipeline.exec()) ?? [];
    const found = new Map<string, VectorElement>();
    contentIds.forEach((contentId, i) => {
      const [attrError, attributes] = replies[2 * i] ?? [null, null];
      const [, doc] = replies[2 * i + 1] ?? [null, {}];
      if (attrError !== null || typeof attributes !== 'string') return;
      found.set(contentId, {
        contentId,
        attributes: JSON.parse(attributes) as Record<string, unknown>,
        doc: (doc ?? {}) as Record<string, string>,
      });
    });
    return found;
  }

  /** Number of elements of the vector set (0 when it does not exist). */
  async vectorCount(): Promise<number> {
    return Number(await this.redis.call('VCARD', await this.vectorSet()));
  }

  /** The vector set search reads: the one the alias names after a reindex, else the contract's. */
  async vectorSet(): Promise<string> {
    return (await this.redis.hget(STORE_NAMES.vectorSetAlias, 'set')) ?? STORE_NAMES.vectorSet;
  }

  async userSummary(userId: number | string): Promise<Expiring<string> | undefined> {
    return this.expiring(KEYS.userSummary(Number(userId)), (text) => text);
  }

  /** The response cache entry a request would be answered from, with its key. */
  async cacheEntry(
    source: CacheKeySource,
  ): Promise<(Expiring<Record<string, unknown>> & { key: string }) | undefined> {
    const hash = responseCacheKey(cacheKeyRequest(source));
    if (hash === undefined) return undefined;
    const key = KEYS.response(hash);
    const entry = await this.expiring(key, (text) => JSON.parse(text) as Record<string, unknown>);
    return entry && { ...entry, key };
  }

  /** The response cache entries of many requests (one MGET), by request id; absent ones are left out. */
  async cacheEntries(
    sources: readonly (CacheKeySource & { readonly requestId: string })[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const keyed = sources.flatMap((source) => {
      const hash = responseCacheKey(cacheKeyRequest(source));
      return hash === undefined ? [] : [{ requestId: source.requestId, key: KEYS.response(hash) }];
    });
    if (keyed.length === 0) return new Map();
    const values = await this.redis.mget(...keyed.map((entry) => entry.key));
    return new Map(
      keyed.flatMap(({ requestId }, i) =>
        values[i] == null ? [] : [[requestId, JSON.parse(values[i]) as Record<string, unknown>] as const],
      ),
    );
  }

  /**
   * Deletes what the pipeline wrote for these requests, and nothing else: their rows (and their
   * users when no other row refers to them), documents, statuses, cache entries, user summaries,
   * vector set elements and hydration hashes. For tests and benchmarks that must not leave their
   * data in the shared stores. Returns how many rows were deleted.
   */
  async removeContent(
    requests: readonly (CacheKeySource & { readonly requestId: string })[],
  ): Promise<number> {
    if (requests.length === 0) return 0;
    const requestIds = requests.map((r) => r.requestId);
    const contentIds = requestIds.map(contentIdOf);
    const userIds = [...new Set(requests.map((r) => r.userId))];
    const { rowCount } = await this.pool.query(
      'DELETE FROM ai_generated_content WHERE request_id = ANY($1::uuid[])',
      [requestIds],
    );
    await this.pool.query(
      `DELETE FROM users u WHERE u.id = ANY($1::bigint[])
         AND NOT EXISTS (SELECT 1 FROM ai_generated_content c WHERE c.user_id = u.id)`,
      [userIds],
    );
    await this.documents.deleteMany({ _id: { $in: contentIds } });
    const cacheKeyNames = requests.flatMap((request) => {
      const hash = responseCacheKey(cacheKeyRequest(request));
      return hash === undefined ? [] : [KEYS.response(hash)];
    });
    const pipeline = this.redis.pipeline();
    pipeline.del(
      ...requestIds.map((id) => KEYS.requestStatus(id)),
      ...userIds.map((id) => KEYS.userSummary(id)),
      ...cacheKeyNames,
      ...contentIds.map((id) => STORE_NAMES.vectorDoc(id)),
    );
    const set = await this.vectorSet();
    for (const contentId of contentIds) pipeline.call('VREM', set, contentId);
    await pipeline.exec();
    return rowCount ?? 0;
  }

  private async expiring<T>(key: string, parse: (text: string) => T): Promise<Expiring<T> | undefined> {
    const [[, value], [, ttl]] = ((await this.redis.multi().get(key).ttl(key).exec()) ?? []) as [
      [Error | null, string | null],
      [Error | null, number],
    ];
    return value === null ? undefined : { value: parse(value), ttlSeconds: ttl };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.mongo.close()]);
    this.redis.disconnect();
  }
}

/** The request as the cache key sees it, with the services' defaults for what is left out. */
export function cacheKeyRequest(source: CacheKeySource): CacheKeyRequest {
  return {
    model: source.model,
    prompt: source.prompt,
    userId: source.userId,
    parameters: {
      temperature: source.parameters?.temperature ?? null,
      maxTokens: source.parameters?.maxTokens ?? null,
      topP: source.parameters?.topP ?? null,
      systemPrompt: source.parameters?.systemPrompt ?? null,
    },
    cacheScope: source.cacheScope ?? 'USER',
    tenant: source.tenant ?? null,
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
