import type { EventInputTypes, EventTypes } from '@genstream/events';
import { KafkaRuntimeModule, type Logger } from '@genstream/kafka';
import type { DynamicModule } from '@nestjs/common';
import type { CommonConfig } from '../config/common-config.js';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_NAME } from '../tokens.js';
import { kafkaRuntimeOptionsFor, type ServiceKafkaRuntimeOptions } from './kafka-runtime-options.js';

/**
 * KafkaRuntimeModule configured from the service's configuration and logger (what
 * bootstrapService provides): import it once in the service's root module. Provides KAFKA_RUNTIME,
 * EVENT_PUBLISHER, METRICS_REGISTRY; serves /health (with the HealthChecks) and /metrics.
 */
export function serviceKafkaModule(overrides: Partial<ServiceKafkaRuntimeOptions> = {}): DynamicModule {
  return KafkaRuntimeModule.forRootAsync<EventTypes, EventInputTypes>({
    inject: [SERVICE_CONFIG, SERVICE_NAME, SERVICE_LOGGER],
    useFactory: (config: CommonConfig, service: string, logger: Logger) =>
      kafkaRuntimeOptionsFor(config, service, logger, overrides),
  });
}
