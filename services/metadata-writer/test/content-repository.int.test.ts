import { ContractViolationError, StoreUnavailableError } from '@genstream/errors';
import type { ContentGenerated } from '@genstream/events';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { testPostgres, type TestPostgres } from '@genstream/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ContentRepository, migrate } from '../src/index.js';

async function migratedDatabase(label: string): Promise<TestPostgres> {
  const postgres = await testPostgres(label);
  await migrate(postgres.pool);
  return postgres;
}

async function counts(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, number>>(`
    SELECT (SELECT count(*)::int FROM ai_generated_content) AS content,
           (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM models) AS models`);
  return rows[0]!;
}

function eventFor(
  userId: number,
  modelUsed: string,
  overrides: Partial<ContentGenerated> = {},
): ContentGenerated {
  return aContentGenerated({ modelUsed, ...overrides }, aGenerationRequested({ userId }));
}

describe('ContentRepository.saveBatch', () => {
  it('writes a batch as rows joined to their users and models', async () => {
    await using postgres = await migratedDatabase('content_rows');
    const batch = [
      eventFor(1, 'local-echo-1'),
      eventFor(2, 'local-echo-1', {
        cacheHit: 'EXACT',
        usage: { promptTokens: null, completionTokens: null },
      }),
      eventFor(1, 'gpt-4o-2024-08-06', { title: 'Ünïcode ✓', output: 'it\'s "quoted"\nand multi-line' }),
    ];
    const repository = new ContentRepository(postgres.pool);

    expect(await repository.saveBatch(batch)).toEqual({ inserted: 3, duplicates: 0 });

    const { rows } = await postgres.pool.query(`
      SELECT c.*, m.name AS model_name, u.id AS joined_user
      FROM ai_generated_content c JOIN users u ON u.id = c.user_id JOIN models m ON m.id = c.model_id
      ORDER BY c.id`);
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const event = batch[i]!;
      expect(row).toMatchObject({
        content_id: event.contentId,
        request_id: event.requestId,
        user_id: String(event.userId), // bigint arrives as text
        joined_user: String(event.userId),
        model_name: event.modelUsed,
        title: event.title,
        model_used: event.modelUsed,
        requested_model: event.model,
        prompt: event.prompt,
        output: event.output,
        cache_hit: event.cacheHit,
        prompt_tokens: event.usage.promptTokens,
        completion_tokens: event.usage.completionTokens,
        latency_ms: event.latencyMs,
        requested_at: new Date(event.requestedAt),
        generated_at: new Date(event.generatedAt),
      });
    });
    expect(await counts(postgres.pool)).toEqual({ content: 3, users: 2, models: 2 });
  });

  it('writes nothing the second time: the same batch again is all duplicates', async () => {
    await using postgres = await migratedDatabase('content_replay');
    const repository = new ContentRepository(postgres.pool);
    const batch = Array.from({ length: 20 }, (_, i) => eventFor(100 + (i % 4), `model-${i % 3}`));

    expect(await repository.saveBatch(batch)).toEqual({ inserted: 20, duplicates: 0 });
    const before = await counts(postgres.pool);
    expect(before).toEqual({ content: 20, users: 4, models: 3 });

    expect(await repository.saveBatch(batch)).toEqual({ inserted: 0, duplicates: 20 });
    expect(await counts(postgres.pool)).toEqual(before);
  });

  it('inserts only the new records of a batch mixing new and already written ones', async () => {
    await using postgres = await migratedDatabase('content_mixed');
    const repository = new ContentRepository(postgres.pool);
    const written = [eventFor(7, 'local-echo-1'), eventFor(8, 'local-echo-1')];
    await repository.saveBatch(written);

    const fresh = [eventFor(7, 'local-echo-2'), eventFor(9, 'local-echo-1')];
    expect(await repository.saveBatch([written[0]!, fresh[0]!, written[1]!, fresh[1]!])).toEqual({
      inserted: 2,
      duplicates: 2,
    });
    expect(await counts(postgres.pool)).toEqual({ content: 4, users: 3, models: 2 });
  });

  it('counts a record repeated within one batch as a duplicate', async () => {
    await using postgres = await migratedDatabase('content_repeat');
    const repository = new ContentRepository(postgres.pool);
    const event = eventFor(5, 'local-echo-1');
    expect(await repository.saveBatch([event, eventFor(5, 'local-echo-1'), { ...event }])).toEqual({
      inserted: 2,
      duplicates: 1,
    });
    expect(await repository.saveBatch([])).toEqual({ inserted: 0, duplicates: 0 });
  });

  it("keeps each user's first and last seen times whatever order the events arrive in", async () => {
    await using postgres = await migratedDatabase('content_users');
    const repository = new ContentRepository(postgres.pool);
    const at = (iso: string) => Date.parse(iso);
    await repository.saveBatch([eventFor(3, 'm', { generatedAt: at('2025-06-01T00:00:00Z') })]);
    await repository.saveBatch([
      eventFor(3, 'm', { generatedAt: at('2025-07-01T00:00:00Z') }),
      eventFor(3, 'm', { generatedAt: at('2025-05-01T00:00:00Z') }),
    ]);
    await repository.saveBatch([eventFor(3, 'm', { generatedAt: at('2025-06-15T00:00:00Z') })]);

    const { rows } = await postgres.pool.query('SELECT first_seen_at, last_seen_at FROM users WHERE id = 3');
    expect(rows).toEqual([
      { first_seen_at: new Date('2025-05-01T00:00:00Z'), last_seen_at: new Date('2025-07-01T00:00:00Z') },
    ]);
  });

  it('refuses a record PostgreSQL cannot hold with a permanent error naming it, and writes none of the batch', async () => {
    await using postgres = await migratedDatabase('content_refused');
    const repository = new ContentRepository(postgres.pool);
    const bad = eventFor(1, 'local-echo-1', { output: 'a NUL \u0000 byte' });
    const batch = [eventFor(1, 'local-echo-1'), bad, eventFor(2, 'local-echo-1')];

    const error = await repository.saveBatch(batch).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({
      retriable: false,
      details: { contentId: bad.contentId, sqlState: '22021' },
    });
    expect(await counts(postgres.pool)).toEqual({ content: 0, users: 0, models: 0 });

    // The pool is still healthy afterwards.
    expect(await repository.saveBatch([batch[0]!, batch[2]!])).toEqual({ inserted: 2, duplicates: 0 });
  });

  it('says the store is unavailable (retriable) when the schema is missing or the server is unreachable', async () => {
    await using postgres = await testPostgres('content_unmigrated');
    const unmigrated = new ContentRepository(postgres.pool);
    await expect(unmigrated.saveBatch([eventFor(1, 'm')])).rejects.toThrow(StoreUnavailableError);

    const unreachable = new pg.Pool({ connectionString: 'postgres://genstream@127.0.0.1:1/none' });
    try {
      const error = await new ContentRepository(unreachable)
        .saveBatch([eventFor(1, 'm')])
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ retriable: true, code: 'STORE_UNAVAILABLE' });
    } finally {
      await unreachable.end();
    }
  });
});
