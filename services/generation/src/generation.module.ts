import type { EventInputTypes } from '@genstream/events';
import { EVENT_PUBLISHER, METRICS_REGISTRY, type EventPublisher, type Logger } from '@genstream/kafka';
import {
  SERVICE_CONFIG,
  SERVICE_LOGGER,
  SERVICE_NAME,
  serviceKafkaModule,
  type ServiceKafkaRuntimeOptions,
} from '@genstream/service';
import { redisClientProviders } from '@genstream/service/redis';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { GenerationConfig } from './config.js';
import { GenerationRequestedHandler } from './handlers/generation-requested.handler.js';
import { GenerationsController } from './http/generations.controller.js';
import { GenerationMetrics } from './metrics/generation-metrics.js';
import { modelRouterFor, singleFlightMaxWaitMs } from './model-router.js';
import { AnswerLookupRepository } from './repositories/answer-lookup.repository.js';
import { FlightRepository } from './repositories/flight.repository.js';
import { StatusRepository } from './repositories/status.repository.js';
import { GenerationRequests } from './services/generation-requests.service.js';
import { GenerationService } from './services/generation.service.js';
import type { ModelGateway } from './services/ports.js';
import { DEFAULT_SINGLE_FLIGHT, type SingleFlightSettings } from './services/single-flight.js';
import {
  GENERATION_MODULE_OPTIONS,
  GENERATION_REQUESTS,
  GENERATION_SERVICE,
  MODEL_ROUTER,
  REDIS,
  REQUEST_VALIDATOR,
} from './tokens.js';
import { RequestValidator } from './validation/request-validator.js';

export interface GenerationModuleOptions {
  /** Put before every Redis key; empty in production, tests isolate themselves with it. */
  readonly redisKeyPrefix?: string;
  /** Replaces the model router built from the configuration (tests count model calls). */
  readonly model?: ModelGateway;
  readonly singleFlight?: Partial<SingleFlightSettings>;
  /** Overrides of the Kafka runtime's options (tests shorten fetch waits). */
  readonly kafka?: Partial<ServiceKafkaRuntimeOptions>;
}

/**
 * The generation service: consumes GenerationRequested, answers from the response cache or a model
 * (single flight across instances), publishes ContentGenerated / GenerationFailed; serves
 * POST /v1/generations and GET /v1/generations/{requestId}. Boot it with bootstrapService.
 */
@Module({})
export class GenerationModule {
  static forRoot(options: GenerationModuleOptions = {}): DynamicModule {
    const keyPrefix = options.redisKeyPrefix ?? '';
    return {
      module: GenerationModule,
      imports: [serviceKafkaModule(options.kafka)],
      controllers: [GenerationsController],
      providers: [
        { provide: GENERATION_MODULE_OPTIONS, useValue: options },
        // The service's one Redis connection. It connects by itself (no lazyConnect): start-up does
        // not wait for Redis, /health reports it. One error line per 10 s is enough to see an outage.
        ...redisClientProviders(REDIS, { connectTimeout: 5_000, errorLogIntervalMs: 10_000 }),
        {
          provide: MODEL_ROUTER,
          inject: [SERVICE_CONFIG],
          useFactory: (config: GenerationConfig): ModelGateway => options.model ?? modelRouterFor(config),
        },
        {
          provide: REQUEST_VALIDATOR,
          inject: [SERVICE_CONFIG, MODEL_ROUTER],
          useFactory: (config: GenerationConfig, model: ModelGateway) =>
            new RequestValidator({
              maxPromptChars: config.MAX_PROMPT_CHARS,
              knowsModel: (name) => model.knows(name),
            }),
        },
        {
          provide: GENERATION_SERVICE,
          inject: [
            SERVICE_CONFIG,
            SERVICE_NAME,
            SERVICE_LOGGER,
            REDIS,
            MODEL_ROUTER,
            REQUEST_VALIDATOR,
            EVENT_PUBLISHER,
            METRICS_REGISTRY,
          ],
          useFactory: (
            config: GenerationConfig,
            service: string,
            logger: Logger,
            redis: Redis,
            model: ModelGateway,
            validator: RequestValidator,
            publisher: EventPublisher<EventInputTypes>,
            registry: Registry,
          ) =>
            new GenerationService(
              {
                validator,
                answers: new AnswerLookupRepository(redis, { keyPrefix }),
                flights: new FlightRepository(redis, { keyPrefix }),
                model,
                events: publisher,
                metrics: new GenerationMetrics(registry),
                logger,
              },
              {
                concurrency: config.GENERATION_CONCURRENCY,
                service,
                singleFlight: {
                  ...DEFAULT_SINGLE_FLIGHT,
                  maxWaitMs: singleFlightMaxWaitMs(config),
                  ...options.singleFlight,
                },
              },
            ),
        },
        {
          provide: GENERATION_REQUESTS,
          inject: [SERVICE_CONFIG, SERVICE_LOGGER, REDIS, REQUEST_VALIDATOR, EVENT_PUBLISHER],
          useFactory: (
            config: GenerationConfig,
            logger: Logger,
            redis: Redis,
            validator: RequestValidator,
            publisher: EventPublisher<EventInputTypes>,
          ) =>
            new GenerationRequests({
              validator,
              publisher,
              statuses: new StatusRepository(redis, config.STATUS_TTL_SECONDS, { keyPrefix }),
              logger,
            }),
        },
        GenerationRequestedHandler,
      ],
    };
  }
}
