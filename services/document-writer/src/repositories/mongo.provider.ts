import type { Logger } from '@genstream/kafka';
import { SERVICE_CONFIG, SERVICE_LOGGER, storeClientProviders } from '@genstream/service';
import { mongoClient, mongoStore } from '@genstream/service/mongo';
import type { Provider } from '@nestjs/common';
import type { MongoClient } from 'mongodb';
import { SERVICE_NAME, type Config } from '../config.js';
import { DocumentRepository } from './document-repository.js';
import { classifyMongoError } from './mongo-errors.js';

/** The service's MongoClient. */
export const MONGO_CLIENT = Symbol('document-writer.mongo-client');

/**
 * The client, connected and with the indexes created before the consumer starts, closed after
 * its last batch; and the repository.
 */
export const mongoProviders: Provider[] = [
  ...storeClientProviders({
    ...mongoStore,
    token: MONGO_CLIENT,
    create: (config: Config, logger) =>
      mongoClient(config.MONGO_URL, logger, { appName: SERVICE_NAME, serverSelectionTimeoutMS: 5_000 }),
    connect: async (client) => {
      try {
        await client.connect();
      } catch (error) {
        throw classifyMongoError(error);
      }
    },
    inject: [DocumentRepository, SERVICE_LOGGER],
    onReady: async (_client, documents: DocumentRepository, logger: Logger) => {
      const created = await documents.ensureIndexes();
      logger.info('document indexes ready', { created });
    },
  }),
  {
    provide: DocumentRepository,
    inject: [MONGO_CLIENT, SERVICE_CONFIG],
    useFactory: (client: MongoClient, config: Config) =>
      new DocumentRepository(client, { databaseName: config.MONGO_DATABASE }),
  },
];
