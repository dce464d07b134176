// The requests the cache bench sends: each a prompt no earlier request used.
import { randomInt } from 'node:crypto';

export const MODEL = 'local';

export interface SentRequest {
  readonly requestId: string;
  readonly userId: number;
  readonly prompt: string;
  readonly model: string;
}

const SERVICES_AFFECTED = ['checkout', 'search', 'billing', 'login', 'notifications', 'exports'];
const CAUSES = [
  'an expired TLS certificate on the internal load balancer',
  'a connection pool exhausted by a slow migration',
  'a cache stampede after a deploy flushed the keys',
  'a misconfigured rate limit on the partner API',
  'disk pressure on the primary database replica',
];

/** A prompt no earlier request used (own ticket number and user): its first answer is a model call. */
export function distinctRequest(): Omit<SentRequest, 'requestId'> {
  const ticket = randomInt(100_000, 999_999);
  const service = SERVICES_AFFECTED[randomInt(SERVICES_AFFECTED.length)]!;
  const cause = CAUSES[randomInt(CAUSES.length)]!;
  const minutes = randomInt(5, 95);
  return {
    userId: randomInt(10_000_000, 90_000_000),
    model: MODEL,
    prompt:
      `Incident ${ticket}: the ${service} service returned errors for ${minutes} minutes. ` +
      `The cause was ${cause}. Customers saw failed requests and retries; on-call engineers ` +
      'rolled back the change and added an alert. Summarize the incident for the status page.',
  };
}
