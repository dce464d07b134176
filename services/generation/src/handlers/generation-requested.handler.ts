import type { GenerationRequested } from '@genstream/events';
import {
  BatchOutcome,
  KAFKA_RUNTIME,
  type BatchContext,
  type ConsumedRecord,
  type RecordFailure,
} from '@genstream/kafka';
import { SERVICE_CONFIG, consumerGroupId, type ServiceKafkaRuntime } from '@genstream/service';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { GenerationConfig } from '../config.js';
import { GenerationService } from '../services/generation.service.js';

/**
 * Consumes genstream.generation.requested in batches. GenerationService publishes the batch's
 * ContentGenerated and GenerationFailed events before this returns, so the runtime commits only
 * published work. Requests that failed for now (provider or Redis down) are returned as retriable
 * failures: the runtime commits up to the first of them, pauses the partition and reads it again
 * after a backoff. Records after it were published too and are read again; their redelivery
 * republishes the same events from the flight results (same contentId, no model call).
 */
@Injectable()
export class GenerationRequestedHandler implements OnModuleInit {
  constructor(
    @Inject(KAFKA_RUNTIME) private readonly runtime: ServiceKafkaRuntime,
    @Inject(GenerationService) private readonly generation: GenerationService,
    @Inject(SERVICE_CONFIG) private readonly config: GenerationConfig,
  ) {}

  onModuleInit(): void {
    this.runtime.consume({
      groupId: consumerGroupId(this.config, 'generation'),
      events: ['GenerationRequested'],
      handler: (records, context) => this.handle(records, context),
    });
  }

  async handle(
    records: readonly ConsumedRecord<GenerationRequested>[],
    context: Pick<BatchContext, 'isRunning'>,
  ): Promise<BatchOutcome> {
    const outcomes = await this.generation.process(
      records.map((record) => record.event),
      { isRunning: () => context.isRunning() },
    );
    const retries: RecordFailure[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.kind === 'retry') retries.push({ record: records[index]!, error: outcome.error });
    }
    return BatchOutcome.failed(...retries);
  }
}
