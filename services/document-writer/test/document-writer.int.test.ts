import { loadConfig } from '@genstream/config';
import { aContentGenerated } from '@genstream/events/testing';
import { eventually, startTestService, testTopics } from '@genstream/service-testing';
import { serverEnv, testMongo } from '@genstream/testing';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAME, configSchema } from '../src/config.js';
import { DocumentWriterModule } from '../src/document-writer.module.js';

describe('document-writer (real Kafka, real MongoDB wire server)', () => {
  it('creates its indexes, writes one document per content, and ignores redelivery', async () => {
    await using mongo = await testMongo('dw_service');
    await using kafka = await testTopics('dw_service');
    const config = loadConfig(configSchema, {
      ...kafka.env,
      MONGO_URL: serverEnv().MONGO_URL,
      MONGO_DATABASE: mongo.db.databaseName,
      PORT: '0',
    });
    await using service = await startTestService({
      name: SERVICE_NAME,
      module: DocumentWriterModule,
      config,
    });

    const health = await service.request('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ healthy: true, checks: [{ name: 'mongo', ok: true }] });
    const collection = mongo.db.collection('aiGenerated');
    expect((await collection.indexes()).map((index) => index.name)).toEqual(
      expect.arrayContaining(['userId_1_generatedAt_-1', 'requestId_1']),
    );

    const events = Array.from({ length: 6 }, (_, i) => aContentGenerated({ title: `title ${i}` }));
    await kafka.publish('ContentGenerated', events);
    const group = `${kafka.prefix}genstream.document-writer`;
    await eventually(
      async () => (await kafka.committed(group, 'ContentGenerated')) === 6,
      'six offsets committed',
    );

    expect(await collection.countDocuments()).toBe(6);
    for (const event of events) {
      expect(await collection.findOne({ _id: event.contentId as never })).toMatchObject({
        requestId: event.requestId,
        title: event.title,
        modelUsed: event.modelUsed,
        userId: event.userId,
        summary: event.output,
        generatedAt: new Date(event.generatedAt),
      });
    }

    await kafka.publish('ContentGenerated', events);
    await eventually(
      async () => (await kafka.committed(group, 'ContentGenerated')) === 12,
      'redelivery committed',
    );
    expect(await collection.countDocuments()).toBe(6);
  });
});
