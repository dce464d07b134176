import { describe, expect, it } from 'vitest';
import { testPostgres } from '@genstream/testing';

describe('PostgreSQL round trip (pg against the real server)', () => {
  it('creates a table, inserts rows in one statement and selects them back', async () => {
    await using postgres = await testPostgres('roundtrip');
    await postgres.pool.query(`
      CREATE TABLE generated (
        content_id uuid PRIMARY KEY,
        title text NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now()
      )`);
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const inserted = await postgres.pool.query(
      `INSERT INTO generated (content_id, title)
       SELECT * FROM unnest($1::uuid[], $2::text[])
       ON CONFLICT (content_id) DO NOTHING`,
      [ids, ids.map((_, i) => `title ${i}`)],
    );
    expect(inserted.rowCount).toBe(3);

    const again = await postgres.pool.query(
      `INSERT INTO generated (content_id, title) VALUES ($1, 'duplicate') ON CONFLICT (content_id) DO NOTHING`,
      [ids[0]],
    );
    expect(again.rowCount).toBe(0);

    const { rows } = await postgres.pool.query<{ content_id: string; title: string }>(
      'SELECT content_id, title FROM generated ORDER BY title',
    );
    expect(rows).toEqual(ids.map((id, i) => ({ content_id: id, title: `title ${i}` })));
  });

  it('rolls back a failed transaction as a whole', async () => {
    await using postgres = await testPostgres('tx');
    await postgres.pool.query('CREATE TABLE items (id int PRIMARY KEY)');
    const client = await postgres.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO items VALUES (1)');
      await expect(client.query('INSERT INTO items VALUES (1)')).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const { rows } = await postgres.pool.query('SELECT count(*)::int AS n FROM items');
    expect(rows[0]).toEqual({ n: 0 });
  });
});
