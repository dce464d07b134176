import { integer, secret, text, url, type ConfigOf } from '@genstream/config';
import { commonConfig } from '@genstream/service';

export const SERVICE_NAME = 'cache-updater';

const seconds = (fallback: number) => integer({ min: 1, max: 30 * 86_400, fallback });

export const configSchema = {
  ...commonConfig(SERVICE_NAME),
  REDIS_URL: secret(url(['redis:', 'rediss:'])),
  /** Put before every key; empty in production (the contract's key names). Tests use their own. */
  REDIS_KEY_PREFIX: text(''),
  /** Life of a response cache entry, counted from the answer's generatedAt. */
  CACHE_TTL_SECONDS: seconds(3_600),
  /** Life of `user:{userId}:summary`. */
  USER_SUMMARY_TTL_SECONDS: seconds(86_400),
  /** Life of a request's done/failed status. */
  REQUEST_STATUS_TTL_SECONDS: seconds(86_400),
};

export type Config = ConfigOf<typeof configSchema>;
