import type { ContentGenerated } from '@genstream/events';
import type pg from 'pg';
import { toContentColumns, uniqueByContentId } from './content-columns.js';
import { classifyPostgresError } from './postgres-errors.js';

export interface SaveBatchResult {
  /** Rows written by this call. */
  readonly inserted: number;
  /** Records already stored (an earlier delivery) or repeated within the batch. */
  readonly duplicates: number;
}

// Users and models first, in one statement. Rows are locked in key order so that two batches
// touching the same users cannot deadlock. A user row is only rewritten when the batch widens its
// first/last-seen range, so replays cost no updates. Seen times are the events' generatedAt, not
// the wall clock, so a replay changes nothing.
const UPSERT_USERS_AND_MODELS = `
WITH seen AS (
  SELECT id, min(at) AS first_seen_at, max(at) AS last_seen_at
  FROM unnest($1::bigint[], $2::timestamptz[]) AS s (id, at)
  GROUP BY id
), upserted_users AS (
  INSERT INTO users AS u (id, first_seen_at, last_seen_at)
  SELECT id, first_seen_at, last_seen_at FROM seen ORDER BY id
  ON CONFLICT (id) DO UPDATE
    SET first_seen_at = least(u.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(u.last_seen_at, excluded.last_seen_at)
    WHERE excluded.first_seen_at < u.first_seen_at OR excluded.last_seen_at > u.last_seen_at
  RETURNING 1
), used_models AS (
  SELECT name, min(at) AS first_seen_at
  FROM unnest($3::text[], $2::timestamptz[]) AS m (name, at)
  GROUP BY name
), inserted_models AS (
  INSERT INTO models (name, first_seen_at)
  SELECT name, first_seen_at FROM used_models ORDER BY name
  ON CONFLICT (name) DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM upserted_users) AS users, (SELECT count(*) FROM inserted_models) AS models`;

// A separate statement so that its snapshot sees model rows another instance committed while the
// upsert above waited for it. LEFT JOIN: a row is never dropped for want of a model id.
const INSERT_CONTENT = `
INSERT INTO ai_generated_content (
  content_id, request_id, user_id, model_id, title, model_used, requested_model, prompt, output,
  cache_hit, prompt_tokens, completion_tokens, latency_ms, requested_at, generated_at
)
SELECT c.content_id, c.request_id, c.user_id, m.id, c.title, c.model_used, c.requested_model, c.prompt,
       c.output, c.cache_hit, c.prompt_tokens, c.completion_tokens, c.latency_ms, c.requested_at,
       c.generated_at
FROM unnest(
  $1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
  $9::text[], $10::int[], $11::int[], $12::int[], $13::timestamptz[], $14::timestamptz[]
) WITH ORDINALITY AS c (
  content_id, request_id, user_id, title, model_used, requested_model, prompt, output,
  cache_hit, prompt_tokens, completion_tokens, latency_ms, requested_at, generated_at, position
)
LEFT JOIN models m ON m.name = c.model_used
ORDER BY c.position
ON CONFLICT (content_id) DO NOTHING`;

/**
 * Writes ContentGenerated events into the normalized tables: one transaction and one multi-row
 * insert per batch, idempotent on content_id, so a redelivered batch inserts nothing.
 */
export class ContentRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Throws StoreUnavailableError when PostgreSQL is down or busy (retry the batch later) and
   * ContractViolationError when a value is refused, naming the record when it can be told.
   */
  async saveBatch(events: readonly ContentGenerated[]): Promise<SaveBatchResult> {
    const unique = uniqueByContentId(events);
    if (unique.length === 0) return { inserted: 0, duplicates: 0 };
    const columns = toContentColumns(unique);

    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw classifyPostgresError(error, unique);
    }
    try {
      await client.query('BEGIN');
      await client.query(UPSERT_USERS_AND_MODELS, [
        columns.userIds,
        columns.generatedAts,
        columns.modelsUsed,
      ]);
      const result = await client.query(INSERT_CONTENT, [
        columns.contentIds,
        columns.requestIds,
        columns.userIds,
        columns.titles,
        columns.modelsUsed,
        columns.requestedModels,
        columns.prompts,
        columns.outputs,
        columns.cacheHits,
        columns.promptTokens,
        columns.completionTokens,
        columns.latenciesMs,
        columns.requestedAts,
        columns.generatedAts,
      ]);
      await client.query('COMMIT');
      client.release();
      const inserted = result.rowCount ?? 0;
      return { inserted, duplicates: events.length - inserted };
    } catch (error) {
      await rollback(client);
      throw classifyPostgresError(error, unique);
    }
  }
}

/** Returns the client to the pool, or discards it when even ROLLBACK fails (closing rolls back too). */
async function rollback(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (error) {
    client.release(error instanceof Error ? error : true);
  }
}
