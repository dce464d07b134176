import { KAFKA_RUNTIME } from '@genstream/kafka';
import { SERVICE_CONFIG, consumerGroupId, type ServiceKafkaRuntime } from '@genstream/service';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SERVICE_NAME, type Config } from '../config.js';
import { ContentWriter } from '../services/content-writer.service.js';

/** genstream.content.generated -> PostgreSQL, one batch at a time, in group genstream.metadata-writer. */
@Injectable()
export class ContentGeneratedHandler implements OnModuleInit {
  constructor(
    @Inject(KAFKA_RUNTIME) private readonly runtime: ServiceKafkaRuntime,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
    @Inject(ContentWriter) private readonly writer: ContentWriter,
  ) {}

  onModuleInit(): void {
    this.runtime.consume({
      groupId: consumerGroupId(this.config, SERVICE_NAME),
      events: ['ContentGenerated'],
      handler: (records) => this.writer.write(records),
    });
  }
}
