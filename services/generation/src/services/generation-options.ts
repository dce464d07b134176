import type { ServiceKafkaRuntimeOptions } from '@genstream/service';
import type { ModelGateway } from './ports.js';
import type { SingleFlightSettings } from './single-flight.js';

/** What GenerationModule.forRoot takes; production passes nothing. */
export interface GenerationModuleOptions {
  /** Put before every Redis key; empty in production, tests isolate themselves with it. */
  readonly redisKeyPrefix?: string;
  /** Replaces the model router built from the configuration (tests count model calls). */
  readonly model?: ModelGateway;
  readonly singleFlight?: Partial<SingleFlightSettings>;
  /** Overrides of the Kafka runtime's options (tests shorten fetch waits). */
  readonly kafka?: Partial<ServiceKafkaRuntimeOptions>;
}

/** The options given to forRoot, for the providers that depend on them. */
export const GENERATION_MODULE_OPTIONS = Symbol('genstream.generation.module-options');
