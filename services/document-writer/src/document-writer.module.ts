import { serviceKafkaModule } from '@genstream/service';
import { Module } from '@nestjs/common';
import { ContentGeneratedHandler } from './handlers/content-generated.handler.js';
import { mongoProviders } from './repositories/mongo.provider.js';
import { DocumentWriter } from './services/document-writer.service.js';

/** content.generated -> MongoDB (`genstream.aiGenerated`, one document per content). */
@Module({
  imports: [serviceKafkaModule()],
  providers: [...mongoProviders, DocumentWriter, ContentGeneratedHandler],
})
export class DocumentWriterModule {}
