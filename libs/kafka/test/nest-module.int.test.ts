import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventInputTypes, EventTypes } from '@genstream/events';
import { aContentGenerated } from '@genstream/events/testing';
import {
  EVENT_PUBLISHER,
  KAFKA_RUNTIME,
  KafkaRuntimeModule,
  METRICS_REGISTRY,
  type EventPublisher,
  type KafkaRuntime,
} from '@genstream/kafka';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Partitioners } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { eventually, kafkaSlice, sliceRuntimeOptions } from './support/kafka-slice.js';

describe('KafkaRuntimeModule in a Nest application (real broker, real HTTP)', () => {
  it('starts the consumer on bootstrap and answers /health and /metrics with the right numbers', async () => {
    await using kafka = await kafkaSlice('nest');
    const { options, topics } = sliceRuntimeOptions(kafka, 'nest-test', { partitions: 2 });
    const groupId = kafka.groupId('nest');
    const written: string[] = [];

    // A service as services are written: a handler class that registers its batch handler.
    @Injectable()
    class ContentWriter implements OnModuleInit {
      constructor(
        @Inject(KAFKA_RUNTIME) private readonly runtime: KafkaRuntime<EventTypes, EventInputTypes>,
        @Inject(METRICS_REGISTRY) private readonly registry: Registry,
      ) {}

      onModuleInit(): void {
        const writes = new Counter({
          name: 'app_writes_total',
          help: 'rows written',
          registers: [this.registry],
        });
        this.runtime.consume({
          groupId,
          events: ['ContentGenerated'],
          handler: async (records) => {
            written.push(...records.map((r) => r.event.contentId));
            writes.inc(records.length);
          },
        });
      }
    }

    @Module({
      imports: [
        KafkaRuntimeModule.forRootAsync<EventTypes, EventInputTypes>({
          useFactory: () => options,
        }),
      ],
      providers: [ContentWriter],
    })
    class AppModule {}

    const app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        healthy: true,
        service: 'nest-test',
        producer: { connected: true },
        consumers: [{ groupId, state: 'member', healthy: true, topics: [topics.ContentGenerated] }],
      });

      const publisher = app.get<EventPublisher<EventInputTypes>>(EVENT_PUBLISHER);
      const events = Array.from({ length: 30 }, () => aContentGenerated());
      await Promise.all(events.map((event) => publisher.publish('ContentGenerated', event)));
      const raw = kafka.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await raw.connect();
      await raw.send({ topic: topics.ContentGenerated, messages: [{ key: 'x', value: 'not avro' }] });
      await raw.disconnect();
      await eventually(() => written.length === 30, '30 records written', 30_000);

      const metricsLabels = `topic="${topics.ContentGenerated}",group="${groupId}"`;
      let metrics = '';
      await eventually(
        async () => {
          metrics = await (await fetch(`${base}/metrics`)).text();
          return metrics.includes(
            `genstream_kafka_consumer_records_dead_lettered_total{${metricsLabels},code="EVENT_BAD_MAGIC"} 1`,
          );
        },
        'the dead letter in the metrics',
        10_000,
      );
      const response = await fetch(`${base}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(metrics).toContain(`genstream_kafka_consumer_records_received_total{${metricsLabels}} 31`);
      expect(metrics).toContain(`genstream_kafka_consumer_records_handled_total{${metricsLabels}} 30`);
      expect(metrics).toContain(
        `genstream_kafka_producer_records_sent_total{topic="${topics.ContentGenerated}"} 30`,
      );
      expect(metrics).toContain(
        `genstream_kafka_producer_records_sent_total{topic="${topics.ContentGenerated}.dlq"} 1`,
      );
      expect(metrics).toMatch(
        new RegExp(`genstream_kafka_consumer_lag\\{${escape(metricsLabels)},partition="\\d"\\} 0`),
      );
      expect(metrics).toMatch(
        new RegExp(
          `genstream_kafka_consumer_batch_duration_seconds_count\\{${escape(metricsLabels)}\\} \\d+`,
        ),
      );
      expect(metrics).toContain('app_writes_total 30');
      const requests = Number(/genstream_kafka_producer_requests_total (\d+)/.exec(metrics)?.[1]);
      expect(requests).toBeGreaterThan(0);
      expect(requests).toBeLessThan(31);

      // A runtime that stopped (here by hand) makes /health fail, while HTTP still answers.
      await app.get<KafkaRuntime<EventTypes>>(KAFKA_RUNTIME).stop();
      const down = await fetch(`${base}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        healthy: false,
        consumers: [{ state: 'stopped', healthy: false }],
      });
    } finally {
      await app.close();
    }
    expect(await kafka.committedTotal(groupId, topics.ContentGenerated)).toBe(31);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
