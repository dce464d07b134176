import { authProviders } from '@genstream/auth';
import { serviceKafkaModule } from '@genstream/service';
import { Module } from '@nestjs/common';
import { embeddingProvider } from './repositories/embedding.provider.js';
import type { Config } from './config.js';
import { ContentGeneratedHandler } from './handlers/content-generated.handler.js';
import { SearchController } from './handlers/search.controller.js';
import { REDIS_CLIENT, redisProviders } from './repositories/redis.provider.js';
import { ContentIndexer } from './services/content-indexer.service.js';
import { SearchService } from './services/search.service.js';

/** content.generated -> embeddings in a Redis vector set -> content.indexed; GET /v1/search. */
@Module({
  imports: [serviceKafkaModule()],
  controllers: [SearchController],
  providers: [
    ...redisProviders,
    ...authProviders(REDIS_CLIENT, (config) => (config as Config).REDIS_KEY_PREFIX),
    embeddingProvider,
    ContentIndexer,
    SearchService,
    ContentGeneratedHandler,
  ],
})
export class EmbeddingIndexerModule {}
