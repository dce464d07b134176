import { Partitioners, type KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { testKafka } from '@genstream/testing';

describe('Kafka round trip (kafkajs against the real broker)', () => {
  it('consumes in a group exactly what was produced, keys staying on their partition, and commits', async () => {
    await using kafka = await testKafka('roundtrip');
    const topic = await kafka.createTopic('roundtrip', 3);
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `request-${i % 5}`, value: `payload-${i}` }));

    const producer = kafka.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({ topic, messages: sent });
    await producer.disconnect();

    const groupId = kafka.groupId('roundtrip');
    const consumer = kafka.kafka.consumer({ groupId });
    const received: { partition: number; message: KafkaMessage }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          received.push(...batch.messages.map((message) => ({ partition: batch.partition, message })));
          if (received.length >= sent.length) resolve();
        },
      });
    });
    await allReceived;
    await consumer.disconnect();

    expect(received.map(({ message }) => message.value?.toString()).sort()).toEqual(
      sent.map((m) => m.value).sort(),
    );
    const partitionsByKey = new Map<string, Set<number>>();
    for (const { partition, message } of received) {
      const key = message.key!.toString();
      partitionsByKey.set(key, (partitionsByKey.get(key) ?? new Set()).add(partition));
    }
    for (const partitions of partitionsByKey.values()) expect(partitions.size).toBe(1);

    const [committed] = await kafka.admin.fetchOffsets({ groupId, topics: [topic] });
    const committedTotal = committed!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committedTotal).toBe(sent.length);
  });
});
