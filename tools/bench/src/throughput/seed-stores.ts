// The seed handler's own stores: a PostgreSQL schema (the metadata-writer's migrations), a MongoDB
// database (the document-writer's indexes) and a Redis key prefix, all removed at the end.
import { deleteKeysWithPrefix } from '@genstream/testing/redis-keys';
import { ResponseCacheRepository, cacheKeys, responseCacheKey, type CacheKeys } from '@genstream/cache';
import { DocumentRepository, type ContentDocument } from '@genstream/document-writer';
import { DEFAULT_VECTOR_SET, VectorIndexRepository } from '@genstream/embedding-indexer';
import { contentIdOf, type GenerationRequested } from '@genstream/events';
import { StoreReader, cacheKeyRequest, type StoreUrls } from '@genstream/launcher';
import { LOCAL_MODEL_USED } from '@genstream/llm';
import { migrate } from '@genstream/metadata-writer';
import type { Collection } from 'mongodb';
import pg from 'pg';
import { chunks } from '../settings.js';
import type { StoreTarget } from './system-under-test.js';

const COLLECTION = 'aiGenerated';

export class SeedStores {
  readonly target: StoreTarget;
  readonly documents: Collection<ContentDocument>;
  readonly responses: ResponseCacheRepository;
  readonly vectors: VectorIndexRepository;
  private readonly keys: CacheKeys;
  /** Request id -> epoch ms its insertOne resolved. */
  private readonly documentWrittenAt = new Map<string, number>();

  private constructor(
    /** search_path is the schema: the handler's statements name no schema, as the seed's do not. */
    readonly pool: pg.Pool,
    private readonly connections: StoreReader,
    private readonly schema: string,
    private readonly keyPrefix: string,
  ) {
    const { mongo, redis } = connections;
    this.keys = cacheKeys(keyPrefix);
    this.documents = mongo.db(schema).collection<ContentDocument>(COLLECTION);
    this.responses = new ResponseCacheRepository(redis, { keyPrefix });
    this.vectors = new VectorIndexRepository(redis, { keyPrefix, quantization: 'Q8' });
    this.target = {
      contentTable: `${schema}.ai_generated_content`,
      documents: mongo.db(schema).collection(COLLECTION),
      statusKey: (requestId) => this.keys.requestStatus(requestId),
      vectorSet: `${keyPrefix}${DEFAULT_VECTOR_SET}`,
      // Its own clock: the handler awaited the insert.
      mongoAcknowledged: async (items) =>
        new Map(
          items.flatMap((item) => {
            const at = this.documentWrittenAt.get(item.requestId);
            return at === undefined ? [] : [[item.requestId, at] as const];
          }),
        ),
    };
  }

  /** The PostgreSQL schema and the MongoDB database share the name. */
  static async open(urls: StoreUrls, tag: string, concurrency: number): Promise<SeedStores> {
    const schema = `bench_baseline_${tag}`;
    const connections = await StoreReader.connect(urls);
    const pool = new pg.Pool({
      connectionString: urls.DATABASE_URL,
      max: concurrency,
      options: `-c search_path=${schema}`,
    });
    const stores = new SeedStores(pool, connections, schema, `bench:baseline:${tag}:`);
    try {
      await connections.pool.query(`CREATE SCHEMA ${schema}`);
      await migrate(pool);
      await pool.query(
        'INSERT INTO models (name, first_seen_at) VALUES ($1, now()) ON CONFLICT (name) DO NOTHING',
        [LOCAL_MODEL_USED],
      );
      await new DocumentRepository(connections.mongo, {
        databaseName: schema,
        collectionName: COLLECTION,
      }).ensureIndexes();
    } catch (error) {
      await stores.drop();
      throw error;
    }
    return stores;
  }

  documentWritten(requestId: string): void {
    this.documentWrittenAt.set(requestId, Date.now());
  }

  /** Everything written for these requests, and the vector set (the next run starts it empty). */
  async remove(requests: readonly GenerationRequested[]): Promise<void> {
    const requestIds = requests.map((request) => request.requestId);
    const contentIds = requestIds.map(contentIdOf);
    for (const requestId of requestIds) this.documentWrittenAt.delete(requestId);
    await this.pool.query('DELETE FROM ai_generated_content WHERE request_id = ANY($1::uuid[])', [
      requestIds,
    ]);
    await this.pool.query('DELETE FROM users WHERE id = ANY($1::bigint[])', [requests.map((r) => r.userId)]);
    await this.documents.deleteMany({ _id: { $in: contentIds } });
    const keys = [
      ...requestIds.map((id) => this.keys.requestStatus(id)),
      ...requests.map((request) => this.keys.userSummary(request.userId)),
      ...requests.flatMap((request) => {
        const hash = responseCacheKey(cacheKeyRequest(request));
        return hash === undefined ? [] : [this.keys.response(hash)];
      }),
      ...contentIds.map((id) => this.vectors.docKey(id)),
    ];
    const { redis } = this.connections;
    for (const chunk of chunks(keys, 1000)) await redis.del(...chunk);
    await redis.del(this.target.vectorSet);
  }

  /** Drops its schema and database, deletes its keys, closes its connections. */
  async drop(): Promise<void> {
    const { pool, mongo, redis } = this.connections;
    await pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`).catch(() => undefined);
    if (redis.status === 'ready') {
      await deleteKeysWithPrefix(redis, this.keyPrefix);
    }
    await mongo
      .db(this.schema)
      .dropDatabase()
      .catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    await this.connections.close();
  }
}
