import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or earlier run) uses: lower case, digits and underscores, so it is valid
 * as a Kafka topic, a consumer group, a PostgreSQL or MongoDB database and a Redis key prefix.
 */
export function uniqueName(label: string): string {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 24);
  return `t_${safeLabel}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
