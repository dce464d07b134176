import type { InjectionToken, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import { HealthChecks } from '../health/health-checks.js';
import type { ServiceLogger } from '../logging/service-logger.js';
import { SERVICE_CONFIG, SERVICE_LOGGER } from '../tokens.js';

/** What a store client needs besides how it is made: its readiness check, connect and close. */
export interface StoreClientHooks<C> {
  /** The readiness check's name in /health, e.g. `postgres`. */
  readonly name: string;
  /** Opens the connection. Leave it out for a client that connects by itself on first use. */
  readonly connect?: (client: C) => Promise<unknown>;
  /** Resolves when the store answers (SELECT 1, ping, PING); rejects or hangs when it does not. */
  readonly check: (client: C) => Promise<unknown>;
  /** Releases the client's connections. */
  readonly close: (client: C) => Promise<void>;
}

export interface StoreClientOptions<C, Config, Deps extends unknown[]> extends StoreClientHooks<C> {
  /** The token the client is provided under; the service's repositories inject it. */
  readonly token: InjectionToken;
  /** Makes the client from the service's configuration; it must not connect yet if `connect` is given. */
  readonly create: (config: Config, logger: ServiceLogger) => C;
  /** Tokens whose values `onReady` receives after the client. */
  readonly inject?: { readonly [K in keyof Deps]: InjectionToken };
  /** The service's own start-up work once connected (migrations, indexes); the consumer waits for it. */
  readonly onReady?: (client: C, ...deps: Deps) => Promise<void>;
}

/**
 * The Nest providers of one store client: the client itself under `token`, and its lifecycle,
 * which registers the readiness check `name`, connects and runs `onReady` in onModuleInit, and
 * closes the client in onApplicationShutdown. Spread them into the module's providers, beside
 * the repositories that inject `token`.
 */
export function storeClientProviders<C, Config = unknown, Deps extends unknown[] = []>(
  options: StoreClientOptions<C, Config, Deps>,
): Provider[] {
  const { token, create, inject = [] } = options;
  return [
    {
      provide: token,
      inject: [SERVICE_CONFIG, SERVICE_LOGGER],
      useFactory: (config: Config, logger: ServiceLogger) => create(config, logger),
    },
    {
      provide: Symbol(`genstream.service.store-lifecycle.${options.name}`),
      inject: [token, HealthChecks, ...(inject as InjectionToken[])],
      useFactory: (client: C, health: HealthChecks, ...deps: Deps) =>
        new StoreClientLifecycle(options, client, health, deps),
    },
  ];
}

/**
 * Connects (and readies) the client before the consumer starts: onModuleInit runs before the
 * Kafka runtime starts on bootstrap. Closes it only after the runtime finished and committed its
 * last batch: the runtime stops in beforeApplicationShutdown, this runs in onApplicationShutdown.
 */
class StoreClientLifecycle<C, Deps extends unknown[]> implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly options: StoreClientHooks<C> & {
      readonly onReady?: (client: C, ...deps: Deps) => Promise<void>;
    },
    private readonly client: C,
    private readonly health: HealthChecks,
    private readonly deps: Deps,
  ) {}

  async onModuleInit(): Promise<void> {
    const { name, check, connect, onReady } = this.options;
    this.health.register({
      name,
      check: async () => {
        await check(this.client);
      },
    });
    await connect?.(this.client);
    await onReady?.(this.client, ...this.deps);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.options.close(this.client);
  }
}
