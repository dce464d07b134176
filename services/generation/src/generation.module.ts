import { authProviders } from '@genstream/auth';
import { serviceKafkaModule } from '@genstream/service';
import { Module, type DynamicModule } from '@nestjs/common';
import { GenerationRequestedHandler } from './handlers/generation-requested.handler.js';
import { GenerationsController } from './handlers/generations.controller.js';
import { REDIS_CLIENT, redisProviders } from './repositories/redis.provider.js';
import { GENERATION_MODULE_OPTIONS, type GenerationModuleOptions } from './services/generation-options.js';
import { generationProviders } from './services/generation.providers.js';

export type { GenerationModuleOptions } from './services/generation-options.js';

/**
 * The generation service: consumes GenerationRequested, answers from the response cache or a model
 * (single flight across instances), publishes ContentGenerated / GenerationFailed; serves
 * POST /v1/generations and GET /v1/generations/{requestId}. Boot it with bootstrapService.
 */
@Module({})
export class GenerationModule {
  static forRoot(options: GenerationModuleOptions = {}): DynamicModule {
    return {
      module: GenerationModule,
      imports: [serviceKafkaModule(options.kafka)],
      controllers: [GenerationsController],
      providers: [
        { provide: GENERATION_MODULE_OPTIONS, useValue: options },
        ...redisProviders(options.redisKeyPrefix ?? ''),
        ...authProviders(REDIS_CLIENT, options.redisKeyPrefix ?? ''),
        ...generationProviders,
        GenerationRequestedHandler,
      ],
    };
  }
}
