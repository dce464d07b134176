import { serviceKafkaModule } from '@genstream/service';
import { Module } from '@nestjs/common';
import { CacheHandler } from './handlers/cache.handler.js';
import { redisProviders } from './repositories/redis.provider.js';
import { CacheWriter } from './services/cache-writer.service.js';

/** content.generated / generation.failed -> Redis response cache, user summaries, request statuses. */
@Module({
  imports: [serviceKafkaModule()],
  providers: [...redisProviders, CacheWriter, CacheHandler],
})
export class CacheUpdaterModule {}
