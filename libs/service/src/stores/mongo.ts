import type { Logger } from '@genstream/kafka';
import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { StoreClientHooks } from './store-client-providers.js';

/** A MongoClient on `url` whose errors are logged. */
export function mongoClient(url: string, logger: Logger, options: MongoClientOptions = {}): MongoClient {
  const client = new MongoClient(url, options);
  client.on('error', (error) => logger.warn('MongoDB client error', { error: error.message }));
  return client;
}

/** For storeClientProviders: connect, readiness is the admin ping, close. */
export const mongoStore: StoreClientHooks<MongoClient> = {
  name: 'mongo',
  connect: (client) => client.connect(),
  check: (client) => client.db('admin').command({ ping: 1 }),
  close: (client) => client.close(),
};
