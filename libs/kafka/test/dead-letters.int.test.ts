import { createEventCodec, type EventTypes } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { ContractViolationError, InvalidEventError } from '@genstream/errors';
import { BatchOutcome, parseDeadLetter } from '@genstream/kafka';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { eventually, kafkaSlice, sliceRuntime } from './support/kafka-slice.js';

describe('dead letters (real broker)', () => {
  it('sends poison records to <topic>.dlq with their reason while every good record is handled', async () => {
    await using kafka = await kafkaSlice('poison');
    const codec = createEventCodec();
    const { runtime, topics } = sliceRuntime(kafka, 'poison-test', { partitions: 1, codec });
    const topic = topics.GenerationRequested;
    const groupId = kafka.groupId('poison');
    const handled: string[] = [];
    const calls: number[] = [];
    runtime.consume({
      groupId,
      events: ['GenerationRequested'],
      handler: async (records) => {
        calls.push(records.length);
        // A whole-batch failure caused by one record (as a store rejecting a multi-row insert does).
        if (records.some((r) => r.event.title === 'poison')) {
          throw new ContractViolationError('title "poison" is not allowed', { details: { field: 'title' } });
        }
        const rejected = records.filter((r) => r.event.title === 'reject-me');
        handled.push(...records.filter((r) => !rejected.includes(r)).map((r) => r.event.requestId));
        return BatchOutcome.failed(
          ...rejected.map((record) => ({ record, error: new InvalidEventError('rejected by the handler') })),
        );
      },
    });
    await runtime.start();
    try {
      // Good events around three kinds of poison: bytes that do not decode, a record that fails
      // the whole batch, a record the handler fails on its own.
      const good = Array.from({ length: 40 }, () => aGenerationRequested());
      const poison = aGenerationRequested({ title: 'poison' });
      const rejected = aGenerationRequested({ title: 'reject-me' });
      const garbage = {
        key: 'garbage-key',
        value: Buffer.from('{"not":"avro"}'),
        headers: { 'x-origin': 'legacy' },
      };
      const producer = kafka.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const encoded = async (event: EventTypes['GenerationRequested']) => ({
        key: event.requestId,
        value: await codec.encode('GenerationRequested', event),
      });
      await producer.send({
        topic,
        messages: [
          ...(await Promise.all(good.slice(0, 15).map(encoded))),
          garbage,
          ...(await Promise.all(good.slice(15, 25).map(encoded))),
          await encoded(poison),
          ...(await Promise.all(good.slice(25, 35).map(encoded))),
          await encoded(rejected),
          ...(await Promise.all(good.slice(35).map(encoded))),
        ],
      });
      await producer.disconnect();

      await eventually(() => handled.length >= 40, 'the good records', 30_000);
      await eventually(
        async () => (await kafka.committedTotal(groupId, topic)) === 43,
        'commit past all 43',
        10_000,
      );
      expect([...handled].sort()).toEqual(good.map((e) => e.requestId).sort());

      const letters = (await kafka.readAll(`${topic}.dlq`, 3)).map((record) => parseDeadLetter(record));
      expect(letters).toHaveLength(3);
      const byCode = new Map(letters.map((letter) => [letter.reasonCode, letter]));
      expect([...byCode.keys()].sort()).toEqual(['CONTRACT_VIOLATION', 'EVENT_BAD_MAGIC', 'EVENT_INVALID']);
      expect(byCode.get('EVENT_BAD_MAGIC')).toMatchObject({
        originalTopic: topic,
        originalPartition: 0,
        originalOffset: '15',
        service: 'poison-test',
        key: Buffer.from('garbage-key'),
        value: garbage.value,
      });
      expect(byCode.get('EVENT_BAD_MAGIC')!.headers['x-origin']?.toString()).toBe('legacy');
      expect(byCode.get('CONTRACT_VIOLATION')).toMatchObject({
        originalOffset: '26',
        reason: 'title "poison" is not allowed',
        errorDetails: { field: 'title' },
      });
      expect(await codec.decode('GenerationRequested', byCode.get('CONTRACT_VIOLATION')!.value!)).toEqual(
        poison,
      );
      expect(byCode.get('EVENT_INVALID')).toMatchObject({
        originalOffset: '37',
        reason: 'rejected by the handler',
      });
      for (const letter of letters) expect(Date.now() - letter.failedAt.getTime()).toBeLessThan(60_000);

      const deadLettered = await runtime.metrics.recordsDeadLettered.get();
      expect(deadLettered.values.reduce((sum, v) => sum + v.value, 0)).toBe(3);
      // Bisecting found the poison in a few extra calls, not one call per record.
      expect(calls.length).toBeLessThan(20);
    } finally {
      await runtime.stop();
    }
  });
});
