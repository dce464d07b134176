// The service bootstrap on real servers, booted through the helpers this package gives every
// service's tests (so it lives here: @genstream/service itself depends on no test tooling).
import { loadConfig } from '@genstream/config';
import { ContractViolationError, StoreUnavailableError } from '@genstream/errors';
import { Body, Controller, Get, Inject, Injectable, Module, Post, type OnModuleInit } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  HealthChecks,
  bootstrapService,
  commonConfig,
  createServiceLogger,
  serviceKafkaModule,
} from '@genstream/service';
import { startTestService, testTopics } from '../src/index.js';

const store = { up: true };

@Injectable()
class FakeStore implements OnModuleInit {
  constructor(@Inject(HealthChecks) private readonly health: HealthChecks) {}

  onModuleInit(): void {
    this.health.register({
      name: 'fake-store',
      check: async () => {
        if (!store.up) throw new Error('connection refused');
      },
    });
  }
}

@Controller('v1')
class ProbeController {
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return { received: body };
  }

  @Get('bug')
  bug(): never {
    throw new TypeError('cannot read properties of undefined (reading "secret") at /srv/app.ts:12');
  }

  @Get('contract')
  contract(): never {
    throw new ContractViolationError('prompt must not be empty', { details: { paths: ['prompt'] } });
  }

  @Get('store')
  store(): never {
    throw new StoreUnavailableError('PostgreSQL is unavailable: connect ECONNREFUSED 10.0.0.7:5432');
  }
}

@Module({ imports: [serviceKafkaModule()], controllers: [ProbeController], providers: [FakeStore] })
class ProbeModule {}

describe('bootstrapService (real HTTP, real broker)', () => {
  it('prints its one start line and answers /health, /health/live, /metrics', async () => {
    await using kafka = await testTopics('service_boot');
    const config = loadConfig(commonConfig('generation'), { ...kafka.env, PORT: '0' });
    const lines: string[] = [];
    const logs: string[] = [];
    const app = await bootstrapService({
      name: 'probe',
      module: ProbeModule,
      config,
      logger: createServiceLogger('probe', 'info', (line) => logs.push(line)),
      handleSignals: false,
      announce: (line) => lines.push(line),
    });
    try {
      const url = await app.getUrl();
      const port = new URL(url.replace('[::1]', 'localhost')).port;
      expect(lines).toEqual([
        `probe listening on http://127.0.0.1:${port} (health /health, metrics /metrics)`,
      ]);
      // Nest's own lines are JSON with the service name too.
      const parsed = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parsed.some((entry) => entry.service === 'probe' && entry.context === 'NestApplication')).toBe(
        true,
      );

      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        healthy: true,
        service: 'probe',
        producer: { connected: true },
        checks: [{ name: 'fake-store', ok: true, latencyMs: expect.any(Number) as unknown }],
      });

      store.up = false;
      const down = await fetch(`${base}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        healthy: false,
        producer: { connected: true },
        checks: [{ name: 'fake-store', ok: false, error: 'connection refused' }],
      });
      const live = await fetch(`${base}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ live: true, service: 'probe' });
      store.up = true;

      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain('genstream_kafka_producer_requests_total');
      // The requests above, counted by bootstrapService's HTTP metrics.
      expect(text).toContain(
        'genstream_http_requests_total{method="GET",route="/health/live",status="200"} 1',
      );
      expect(text).toMatch(
        /genstream_http_requests_total\{method="GET",route="\/health",status="503"\} [1-9]/,
      );
    } finally {
      store.up = true;
      await app.close();
    }
  });

  it('answers every error as JSON with a stable code and no internals', async () => {
    await using kafka = await testTopics('service_errors');
    const config = loadConfig(commonConfig('generation'), { ...kafka.env, PORT: '0' });
    await using service = await startTestService({
      name: 'probe',
      module: ProbeModule,
      config,
      bodyLimit: '1kb',
      // The 5xx below are logged at error level on purpose; keep the test output clean.
      logLevel: process.env.GENSTREAM_TEST_LOG === 'debug' ? 'debug' : 'silent',
    });
    const post = (body: string) =>
      service.request('/v1/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    expect(await post('{"a":1}')).toEqual({ status: 201, body: { received: { a: 1 } } });

    const badJson = await post('{"a":');
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({
      error: { code: 'BAD_JSON', message: expect.any(String) as unknown },
    });

    const tooLarge = await post(JSON.stringify({ text: 'x'.repeat(2_000) }));
    expect(tooLarge).toEqual({
      status: 413,
      body: { error: { code: 'BODY_TOO_LARGE', message: 'the request body is too large' } },
    });

    expect(await service.request('/nowhere')).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Cannot GET /nowhere' } },
    });
    expect(await service.request('/v1/contract')).toEqual({
      status: 422,
      body: {
        error: {
          code: 'CONTRACT_VIOLATION',
          message: 'prompt must not be empty',
          details: { paths: ['prompt'] },
        },
      },
    });
    expect(await service.request('/v1/store')).toEqual({
      status: 503,
      body: { error: { code: 'STORE_UNAVAILABLE', message: 'a dependency is unavailable; retry later' } },
    });
    expect(await service.request('/v1/bug')).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    });
  });
});
