import { serviceKafkaModule } from '@genstream/service';
import { Module } from '@nestjs/common';
import { embeddingProvider } from './repositories/embedding.provider.js';
import { ContentGeneratedHandler } from './handlers/content-generated.handler.js';
import { SearchController } from './handlers/search.controller.js';
import { redisProviders } from './repositories/redis.provider.js';
import { ContentIndexer } from './services/content-indexer.service.js';
import { SearchService } from './services/search.service.js';

/** content.generated -> embeddings in a Redis vector set -> content.indexed; GET /v1/search. */
@Module({
  imports: [serviceKafkaModule()],
  controllers: [SearchController],
  providers: [...redisProviders, embeddingProvider, ContentIndexer, SearchService, ContentGeneratedHandler],
})
export class EmbeddingIndexerModule {}
