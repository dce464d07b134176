import { EVENT_SCHEMAS, createEventCodec, type SchemaSet } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { eventually, kafkaSlice, sliceRuntime, sliceTopics } from './support/kafka-slice.js';

/** A later, backward-compatible GenerationRequested: one new field, with a default. */
const v1 = EVENT_SCHEMAS.GenerationRequested[1] as { fields: object[] };
const v2 = {
  ...v1,
  fields: [
    ...v1.fields,
    { name: 'priority', type: 'int', default: 5, doc: 'Scheduling priority (added in v2).' },
  ],
};
const writerSchemas: SchemaSet = { ...EVENT_SCHEMAS, GenerationRequested: { 1: v1 } };
const readerSchemas: SchemaSet = { ...EVENT_SCHEMAS, GenerationRequested: { 1: v1, 2: v2 } };

describe('schema evolution across the broker', () => {
  it('a reader on v2 decodes what a producer still on v1 wrote, filling the new field with its default', async () => {
    await using kafka = await kafkaSlice('evolution');
    const topics = sliceTopics(kafka);
    const runtimeWith = (schemas: SchemaSet, service: string) =>
      sliceRuntime(kafka, service, { topics, codec: createEventCodec({ schemas }) }).runtime;

    const oldProducer = runtimeWith(writerSchemas, 'producer-on-v1');
    await oldProducer.start();
    const sent = Array.from({ length: 20 }, () => aGenerationRequested());
    try {
      await oldProducer.publisher.publishMany('GenerationRequested', sent);
    } finally {
      await oldProducer.stop();
    }

    const newReader = runtimeWith(readerSchemas, 'reader-on-v2');
    const received: Record<string, unknown>[] = [];
    newReader.consume({
      groupId: kafka.groupId('evolution'),
      events: ['GenerationRequested'],
      handler: async (records) => {
        received.push(...records.map((record) => record.event as unknown as Record<string, unknown>));
      },
    });
    await newReader.start();
    try {
      await eventually(() => received.length >= sent.length, `${sent.length} records`, 30_000);
    } finally {
      await newReader.stop();
    }

    const byId = new Map(received.map((event) => [event.requestId, event]));
    expect(byId.size).toBe(sent.length);
    for (const original of sent) {
      expect(byId.get(original.requestId)).toEqual({ ...original, priority: 5 });
    }
    expect(await kafka.readAll(`${topics.GenerationRequested}.dlq`, 0)).toEqual([]);
  });
});
