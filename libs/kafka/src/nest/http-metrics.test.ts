import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, HttpException, Module, Param, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpMetrics } from './http-metrics.js';

@Controller('items')
class ItemsController {
  @Get(':id')
  item(@Param('id') id: string): { id: string } {
    if (id === 'gone') throw new HttpException('gone', 410);
    if (id === 'broken') throw new Error('broken');
    return { id };
  }
}

@Module({ controllers: [ItemsController] })
class ItemsModule {}

describe('HttpMetrics', () => {
  const registry = new Registry();
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(ItemsModule, { logger: false });
    app.use(new HttpMetrics(registry).middleware());
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  async function requests(): Promise<Map<string, number>> {
    const metric = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'genstream_http_requests_total',
    );
    const values = (metric?.values ?? []) as { labels: Record<string, string>; value: number }[];
    return new Map(values.map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]));
  }

  it('counts requests by method, route pattern and status, unmatched paths under one label', async () => {
    for (const path of [
      '/items/1',
      '/items/2',
      '/items/gone',
      '/items/broken',
      '/nothing/here',
      '/nothing/else',
    ])
      await (await fetch(`${base}${path}`)).arrayBuffer();
    await (await fetch(`${base}/items/3`, { method: 'PURGE' })).arrayBuffer();

    const counted = await requests();
    expect(counted.get('GET /items/:id 200')).toBe(2);
    expect(counted.get('GET /items/:id 410')).toBe(1);
    expect(counted.get('GET /items/:id 500')).toBe(1);
    expect(counted.get('GET unmatched 404')).toBe(2);
    expect(counted.get('OTHER unmatched 404')).toBe(1);

    const text = await registry.metrics();
    expect(text).toMatch(
      /genstream_http_request_duration_seconds_count\{method="GET",route="\/items\/:id"\} 4/,
    );
  });

  it('registers once when two runtimes share a registry', () => {
    expect(() => new HttpMetrics(registry)).not.toThrow();
  });
});
