import { integer, secret, url, type ConfigOf } from '@genstream/config';
import { commonConfig } from '@genstream/service';

export const SERVICE_NAME = 'metadata-writer';

export const configSchema = {
  ...commonConfig(SERVICE_NAME),
  DATABASE_URL: secret(url(['postgres:', 'postgresql:'])),
  /** Connections of the pool; one batch uses one at a time per partition consumed concurrently. */
  DATABASE_POOL_SIZE: integer({ min: 1, max: 100, fallback: 5 }),
};

export type Config = ConfigOf<typeof configSchema>;
