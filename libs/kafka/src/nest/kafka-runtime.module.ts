import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import type { EventMap } from '../codec.js';
import { KafkaRuntime } from '../kafka-runtime.js';
import type { KafkaRuntimeOptions } from '../options.js';
import { HealthController } from './health.controller.js';
import { KafkaRuntimeLifecycle } from './kafka-runtime.lifecycle.js';
import { MetricsController } from './metrics.controller.js';
import { EVENT_PUBLISHER, KAFKA_RUNTIME, KAFKA_RUNTIME_OPTIONS, METRICS_REGISTRY } from './tokens.js';

export interface KafkaRuntimeModuleAsyncOptions<M extends EventMap, I extends EventMap = M> {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: InjectionToken[];
  readonly useFactory: (...args: never[]) => KafkaRuntimeOptions<M, I> | Promise<KafkaRuntimeOptions<M, I>>;
}

/**
 * The Kafka runtime in a Nest application: provides KAFKA_RUNTIME (register consumers on it in
 * onModuleInit), EVENT_PUBLISHER and METRICS_REGISTRY, serves GET /health and GET /metrics, starts
 * on application bootstrap and stops on shutdown (call app.enableShutdownHooks()). Global, so a
 * service imports it once in its root module.
 */
@Module({})
export class KafkaRuntimeModule {
  static forRoot<M extends EventMap, I extends EventMap = M>(
    options: KafkaRuntimeOptions<M, I>,
  ): DynamicModule {
    return KafkaRuntimeModule.with([{ provide: KAFKA_RUNTIME_OPTIONS, useValue: options }], []);
  }

  /** For options built from other providers, e.g. the service's validated configuration. */
  static forRootAsync<M extends EventMap, I extends EventMap = M>(
    options: KafkaRuntimeModuleAsyncOptions<M, I>,
  ): DynamicModule {
    return KafkaRuntimeModule.with(
      [
        {
          provide: KAFKA_RUNTIME_OPTIONS,
          useFactory: options.useFactory as (...args: unknown[]) => unknown,
          inject: options.inject ?? [],
        },
      ],
      options.imports ?? [],
    );
  }

  private static with(
    optionProviders: Provider[],
    imports: NonNullable<ModuleMetadata['imports']>,
  ): DynamicModule {
    return {
      module: KafkaRuntimeModule,
      global: true,
      imports,
      controllers: [HealthController, MetricsController],
      providers: [
        ...optionProviders,
        {
          provide: KAFKA_RUNTIME,
          useFactory: (options: KafkaRuntimeOptions<EventMap>) => new KafkaRuntime(options),
          inject: [KAFKA_RUNTIME_OPTIONS],
        },
        {
          provide: EVENT_PUBLISHER,
          useFactory: (runtime: KafkaRuntime<EventMap>) => runtime.publisher,
          inject: [KAFKA_RUNTIME],
        },
        {
          provide: METRICS_REGISTRY,
          useFactory: (runtime: KafkaRuntime<EventMap>) => runtime.registry,
          inject: [KAFKA_RUNTIME],
        },
        KafkaRuntimeLifecycle,
      ],
      exports: [KAFKA_RUNTIME, EVENT_PUBLISHER, METRICS_REGISTRY],
    };
  }
}
