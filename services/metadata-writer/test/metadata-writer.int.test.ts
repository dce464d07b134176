import { loadConfig } from '@genstream/config';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { checkOpenApi, eventually, startTestService, testTopics } from '@genstream/service-testing';
import { testPostgres } from '@genstream/testing';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAME, configSchema } from '../src/config.js';
import { MetadataWriterModule } from '../src/metadata-writer.module.js';

async function counts(pool: pg.Pool): Promise<{ content: number; users: number; models: number }> {
  const { rows } = await pool.query<{ content: number; users: number; models: number }>(`
    SELECT (SELECT count(*)::int FROM ai_generated_content) AS content,
           (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM models) AS models`);
  return rows[0]!;
}

describe('metadata-writer (real Kafka, real PostgreSQL)', () => {
  it('migrates, writes content.generated as rows, dead-letters a bad record, and ignores redelivery', async () => {
    await using postgres = await testPostgres('mw_service');
    await using kafka = await testTopics('mw_service');
    const config = loadConfig(configSchema, { ...kafka.env, DATABASE_URL: postgres.url, PORT: '0' });
    await using service = await startTestService({
      name: SERVICE_NAME,
      module: MetadataWriterModule,
      config,
    });

    const health = await service.request('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      healthy: true,
      consumers: [{ groupId: `${kafka.prefix}genstream.metadata-writer`, state: 'member' }],
      checks: [{ name: 'postgres', ok: true }],
    });
    // A service without an API of its own documents the routes every service serves.
    expect(await checkOpenApi(service)).toMatchObject({ errors: undefined, undocumented: [] });

    const events = [1, 2, 3, 1, 2].map((userId, i) =>
      aContentGenerated(
        { modelUsed: i % 2 === 0 ? 'local-echo-1' : 'gpt-4o' },
        aGenerationRequested({ userId }),
      ),
    );
    // A date no timestamp can hold: PostgreSQL's writer refuses this one record for good.
    const bad = aContentGenerated({ generatedAt: 8.64e15 + 1 });
    await kafka.publish('ContentGenerated', [...events.slice(0, 3), bad, ...events.slice(3)]);

    const group = `${kafka.prefix}genstream.metadata-writer`;
    await eventually(
      async () => (await kafka.committed(group, 'ContentGenerated')) === 6,
      'six offsets committed',
    );
    expect(await counts(postgres.pool)).toEqual({ content: 5, users: 3, models: 2 });
    const { rows } = await postgres.pool.query<{ content_id: string; request_id: string; user_id: string }>(
      'SELECT content_id, request_id, user_id FROM ai_generated_content ORDER BY content_id',
    );
    expect(rows).toEqual(
      events
        .map((event) => ({
          content_id: event.contentId,
          request_id: event.requestId,
          user_id: String(event.userId),
        }))
        .sort((a, b) => a.content_id.localeCompare(b.content_id)),
    );
    const deadLetters = await kafka.deadLetters('ContentGenerated', 1);
    expect(deadLetters).toEqual([{ event: bad, reasonCode: 'CONTRACT_VIOLATION' }]);

    // Redelivery: the same events again write nothing.
    await kafka.publish('ContentGenerated', events);
    await eventually(
      async () => (await kafka.committed(group, 'ContentGenerated')) === 11,
      'redelivery committed',
    );
    expect(await counts(postgres.pool)).toEqual({ content: 5, users: 3, models: 2 });
  });
});
