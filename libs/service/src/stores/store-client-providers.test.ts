import 'reflect-metadata';
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { ServiceCoreModule } from '../bootstrap/service-core.module.js';
import { HealthChecks } from '../health/health-checks.js';
import { createServiceLogger } from '../logging/service-logger.js';
import { storeClientProviders } from './store-client-providers.js';

const STORE = Symbol('test.store');
const GREETING = Symbol('test.greeting');

interface FakeClient {
  readonly url: string;
  readonly log: string[];
  up: boolean;
}

/** Stands for the Kafka runtime: starts on bootstrap, stops before shutdown. */
@Injectable()
class Consumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(STORE) private readonly client: FakeClient) {}

  onApplicationBootstrap(): void {
    this.client.log.push('consumer started');
  }

  beforeApplicationShutdown(): void {
    this.client.log.push('consumer stopped');
  }
}

async function boot(log: string[]) {
  @Module({
    providers: [
      { provide: GREETING, useValue: 'hello' },
      ...storeClientProviders({
        token: STORE,
        name: 'fake',
        create: (config: { FAKE_URL: string }): FakeClient => ({ url: config.FAKE_URL, log, up: false }),
        connect: async (client) => {
          client.up = true;
          client.log.push(`connect ${client.url}`);
        },
        check: async (client) => {
          if (!client.up) throw new Error('down');
        },
        close: async (client) => {
          client.log.push('close');
        },
        inject: [GREETING],
        onReady: async (client, greeting: string) => {
          client.log.push(`ready: ${greeting}`);
        },
      }),
      Consumer,
    ],
  })
  class StoreModule {}

  @Module({
    imports: [
      ServiceCoreModule.forRoot({
        name: 'test',
        config: { FAKE_URL: 'fake://one' },
        logger: createServiceLogger('test', 'error'),
      }),
      StoreModule,
    ],
  })
  class RootModule {}

  return NestFactory.createApplicationContext(RootModule, { logger: false });
}

describe('storeClientProviders', () => {
  it('connects and readies the client before consumers start, closes it after they stopped', async () => {
    const log: string[] = [];
    const app = await boot(log);
    expect(log).toEqual(['connect fake://one', 'ready: hello', 'consumer started']);

    const health = app.get(HealthChecks);
    expect(await health.run()).toMatchObject({ healthy: true, checks: [{ name: 'fake', ok: true }] });
    app.get<FakeClient>(STORE).up = false;
    expect(await health.run()).toMatchObject({
      healthy: false,
      checks: [{ name: 'fake', ok: false, error: 'down' }],
    });

    await app.close();
    expect(log.slice(3)).toEqual(['consumer stopped', 'close']);
  });
});
