import { serviceKafkaModule } from '@genstream/service';
import { Module } from '@nestjs/common';
import { ContentGeneratedHandler } from './handlers/content-generated.handler.js';
import { postgresProviders } from './repositories/postgres.provider.js';
import { ContentWriter } from './services/content-writer.service.js';

/** content.generated -> PostgreSQL (users, models, ai_generated_content). */
@Module({
  imports: [serviceKafkaModule()],
  providers: [...postgresProviders, ContentWriter, ContentGeneratedHandler],
})
export class MetadataWriterModule {}
