import type { Logger } from '@genstream/kafka';
import { HealthChecks, SERVICE_CONFIG, SERVICE_LOGGER } from '@genstream/service';
import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { SERVICE_NAME, type Config } from './config.js';
import { DocumentRepository } from './document-repository.js';
import { classifyMongoError } from './mongo-errors.js';

/** The service's MongoClient. */
export const MONGO_CLIENT = Symbol('document-writer.mongo-client');

export const mongoProviders: Provider[] = [
  {
    provide: MONGO_CLIENT,
    inject: [SERVICE_CONFIG, SERVICE_LOGGER],
    useFactory: (config: Config, logger: Logger) => {
      const client = new MongoClient(config.MONGO_URL, {
        appName: SERVICE_NAME,
        serverSelectionTimeoutMS: 5_000,
      });
      client.on('error', (error) => logger.warn('MongoDB client error', { error: error.message }));
      return client;
    },
  },
  {
    provide: DocumentRepository,
    inject: [MONGO_CLIENT, SERVICE_CONFIG],
    useFactory: (client: MongoClient, config: Config) =>
      new DocumentRepository(client, { databaseName: config.MONGO_DATABASE }),
  },
];

/**
 * Connects and creates the indexes before the consumer starts, pings MongoDB for /health, and
 * closes the client only after the runtime finished and committed its last batch.
 */
@Injectable()
export class MongoLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CLIENT) private readonly client: MongoClient,
    @Inject(DocumentRepository) private readonly documents: DocumentRepository,
    @Inject(HealthChecks) private readonly health: HealthChecks,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.health.register({
      name: 'mongo',
      check: async () => {
        await this.client.db('admin').command({ ping: 1 });
      },
    });
    try {
      await this.client.connect();
    } catch (error) {
      throw classifyMongoError(error);
    }
    const created = await this.documents.ensureIndexes();
    this.logger.info('document indexes ready', { created });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
