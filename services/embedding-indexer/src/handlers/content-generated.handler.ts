import { KAFKA_RUNTIME } from '@genstream/kafka';
import { SERVICE_CONFIG, consumerGroupId, type ServiceKafkaRuntime } from '@genstream/service';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SERVICE_NAME, type Config } from '../config.js';
import { ContentIndexer } from '../services/content-indexer.service.js';

/**
 * genstream.content.generated -> Redis vector set -> genstream.content.indexed, in group
 * genstream.embedding-indexer.
 */
@Injectable()
export class ContentGeneratedHandler implements OnModuleInit {
  constructor(
    @Inject(KAFKA_RUNTIME) private readonly runtime: ServiceKafkaRuntime,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
    @Inject(ContentIndexer) private readonly indexer: ContentIndexer,
  ) {}

  onModuleInit(): void {
    this.runtime.consume({
      groupId: consumerGroupId(this.config, SERVICE_NAME),
      events: ['ContentGenerated'],
      handler: (records) => this.indexer.index(records),
    });
  }
}
