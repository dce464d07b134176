import { READINESS_CHECKS } from '@genstream/kafka';
import { Module, type DynamicModule } from '@nestjs/common';
import { HealthChecks } from '../health/health-checks.js';
import { LivenessController } from '../health/liveness.controller.js';
import type { ServiceLogger } from '../logging/service-logger.js';
import { OpenApiController, OpenApiDocumentHolder } from '../openapi/openapi.controller.js';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_NAME } from '../tokens.js';

export interface ServiceCoreOptions {
  readonly name: string;
  readonly config: object;
  readonly logger: ServiceLogger;
}

/**
 * What every service module can inject, whatever it is: its name, configuration, logger and
 * HealthChecks (also bound as the Kafka health controller's READINESS_CHECKS); it serves
 * /health/live and /openapi.json. Global, imported by bootstrapService beside the service's
 * module; a test may import it directly.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot({ name, config, logger }: ServiceCoreOptions): DynamicModule {
    return {
      module: ServiceCoreModule,
      global: true,
      controllers: [LivenessController, OpenApiController],
      providers: [
        { provide: SERVICE_NAME, useValue: name },
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: SERVICE_LOGGER, useValue: logger },
        { provide: HealthChecks, useFactory: () => new HealthChecks() },
        { provide: READINESS_CHECKS, useExisting: HealthChecks },
        { provide: OpenApiDocumentHolder, useValue: new OpenApiDocumentHolder() },
      ],
      exports: [SERVICE_NAME, SERVICE_CONFIG, SERVICE_LOGGER, HealthChecks, READINESS_CHECKS],
    };
  }
}
