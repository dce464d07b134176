import { KAFKA_RUNTIME } from '@genstream/kafka';
import { SERVICE_CONFIG, consumerGroupId, type ServiceKafkaRuntime } from '@genstream/service';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SERVICE_NAME, type Config } from '../config.js';
import { DocumentWriter } from '../services/document-writer.service.js';

/** genstream.content.generated -> MongoDB, one batch at a time, in group genstream.document-writer. */
@Injectable()
export class ContentGeneratedHandler implements OnModuleInit {
  constructor(
    @Inject(KAFKA_RUNTIME) private readonly runtime: ServiceKafkaRuntime,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
    @Inject(DocumentWriter) private readonly writer: DocumentWriter,
  ) {}

  onModuleInit(): void {
    this.runtime.consume({
      groupId: consumerGroupId(this.config, SERVICE_NAME),
      events: ['ContentGenerated'],
      handler: (records) => this.writer.write(records),
    });
  }
}
