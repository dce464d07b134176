import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import {
  findDeadLetters,
  type DeadLetterFilter,
  type DeadLetterListing,
  type StoredDeadLetter,
} from './dead-letter-store.js';
import { redriveDeadLetters, type RedriveOptions, type RedriveReport } from './dead-letter-redrive.js';

/**
 * An operator's client for dead letters (what `npm run dlq` uses): finds them by filter and
 * redrives chosen ones. Reads commit nothing; the producer, connected only for a real redrive, is
 * idempotent and partitions by key as the services' does, so a redriven record lands where the
 * key's other records are.
 */
export class DeadLetterTool implements AsyncDisposable {
  private producer: Producer | undefined;

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
  ) {}

  static async connect(brokers: readonly string[], clientId = 'genstream-dlq'): Promise<DeadLetterTool> {
    const kafka = new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    return new DeadLetterTool(kafka, admin);
  }

  find(deadLetterTopics: readonly string[], filter: DeadLetterFilter = {}): Promise<DeadLetterListing> {
    return findDeadLetters(this.kafka, this.admin, deadLetterTopics, filter);
  }

  redrive(letters: readonly StoredDeadLetter[], options: RedriveOptions = {}): Promise<RedriveReport> {
    return redriveDeadLetters(this.kafka, this.admin, () => this.connectedProducer(), letters, options);
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer === undefined) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    await this.admin.disconnect();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
