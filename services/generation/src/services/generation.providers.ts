import { EVENT_PUBLISHER, type Logger } from '@genstream/kafka';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_NAME } from '@genstream/service';
import type { Provider } from '@nestjs/common';
import type { GenerationConfig } from '../config.js';
import { AnswerLookupRepository } from '../repositories/answer-lookup.repository.js';
import { FlightRepository } from '../repositories/flight.repository.js';
import { GenerationMetrics } from './generation-metrics.js';
import { GENERATION_MODULE_OPTIONS, type GenerationModuleOptions } from './generation-options.js';
import { GenerationRequests } from './generation-requests.service.js';
import { GenerationService } from './generation.service.js';
import { modelRouterFor, singleFlightMaxWaitMs } from './model-router.js';
import type { AnswerLookup, FlightStore, GenerationEventSink, ModelGateway } from './ports.js';
import { RequestValidator } from './request-validator.js';
import { DEFAULT_SINGLE_FLIGHT } from './single-flight.js';

/** The model side: the router built from the configuration, or the one a test gave. */
export const MODEL_ROUTER = Symbol('genstream.generation.model-router');

/**
 * The logic of the service, each under its class: GenerationService (the consumer's) and
 * GenerationRequests (the HTTP API's), and what they share, the model and the request rules.
 * GenerationService takes its ports as one object, so unit tests build it without Nest.
 */
export const generationProviders: Provider[] = [
  {
    provide: MODEL_ROUTER,
    inject: [SERVICE_CONFIG, GENERATION_MODULE_OPTIONS],
    useFactory: (config: GenerationConfig, options: GenerationModuleOptions): ModelGateway =>
      options.model ?? modelRouterFor(config),
  },
  {
    provide: RequestValidator,
    inject: [SERVICE_CONFIG, MODEL_ROUTER],
    useFactory: (config: GenerationConfig, model: ModelGateway) =>
      new RequestValidator({
        maxPromptChars: config.MAX_PROMPT_CHARS,
        knowsModel: (name) => model.knows(name),
      }),
  },
  GenerationMetrics,
  {
    provide: GenerationService,
    inject: [
      SERVICE_CONFIG,
      SERVICE_NAME,
      SERVICE_LOGGER,
      GENERATION_MODULE_OPTIONS,
      RequestValidator,
      AnswerLookupRepository,
      FlightRepository,
      MODEL_ROUTER,
      EVENT_PUBLISHER,
      GenerationMetrics,
    ],
    useFactory: (
      config: GenerationConfig,
      service: string,
      logger: Logger,
      options: GenerationModuleOptions,
      validator: RequestValidator,
      answers: AnswerLookup,
      flights: FlightStore,
      model: ModelGateway,
      events: GenerationEventSink,
      metrics: GenerationMetrics,
    ) =>
      new GenerationService(
        { validator, answers, flights, model, events, metrics, logger },
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
  GenerationRequests,
];
