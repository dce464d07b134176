import type { KafkaMessage } from 'kafkajs';
import { buildDeadLetter } from './dead-letter.js';
import type { RecordProducer } from './record-producer.js';

export interface FailedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly error: unknown;
}

/** Writes failed records to their topic's dead-letter topic and resolves once Kafka acknowledged all. */
export class DeadLetterWriter {
  constructor(
    private readonly producer: RecordProducer,
    private readonly service: string,
    private readonly deadLetterTopic: (topic: string) => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async write(records: readonly FailedRecord[]): Promise<void> {
    const failedAt = this.now();
    await this.producer.send(
      records.map(({ topic, partition, message, error }) => ({
        topic: this.deadLetterTopic(topic),
        message: buildDeadLetter(
          {
            topic,
            partition,
            offset: message.offset,
            timestamp: message.timestamp,
            key: message.key,
            value: message.value,
            headers: message.headers,
          },
          { error, service: this.service, failedAt },
        ),
      })),
    );
  }
}
