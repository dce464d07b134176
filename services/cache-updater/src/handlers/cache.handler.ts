import { KAFKA_RUNTIME } from '@genstream/kafka';
import { SERVICE_CONFIG, consumerGroupId, type ServiceKafkaRuntime } from '@genstream/service';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SERVICE_NAME, type Config } from '../config.js';
import { CacheWriter } from '../services/cache-writer.service.js';

/**
 * genstream.content.generated and genstream.generation.failed -> Redis, in group
 * genstream.cache-updater. A batch holds records of one topic partition.
 */
@Injectable()
export class CacheHandler implements OnModuleInit {
  constructor(
    @Inject(KAFKA_RUNTIME) private readonly runtime: ServiceKafkaRuntime,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
    @Inject(CacheWriter) private readonly writer: CacheWriter,
  ) {}

  onModuleInit(): void {
    this.runtime.consume({
      groupId: consumerGroupId(this.config, SERVICE_NAME),
      events: ['ContentGenerated', 'GenerationFailed'],
      handler: (records) => this.writer.write(records),
    });
  }
}
