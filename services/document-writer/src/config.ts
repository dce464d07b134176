import { secret, text, url, type ConfigOf } from '@genstream/config';
import { commonConfig } from '@genstream/service';

export const SERVICE_NAME = 'document-writer';

export const configSchema = {
  ...commonConfig(SERVICE_NAME),
  MONGO_URL: secret(url(['mongodb:', 'mongodb+srv:'])),
  /** The contract's database is `genstream`; tests use their own. */
  MONGO_DATABASE: text('genstream'),
};

export type Config = ConfigOf<typeof configSchema>;
