import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiKeyRepository, parseApiKey } from '@genstream/auth';
import { loadStackConfig } from '@genstream/stack';
import { Redis } from 'ioredis';

/** Where `npm start` keeps the development key, for `npm run demo` and curl in another terminal. */
export function devKeyFile(): string {
  return resolve(loadStackConfig().dir, 'dev-api-key');
}

/** The development key `npm start` wrote; undefined when there is none. */
export function readDevKey(file = devKeyFile()): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/**
 * A key for local development and the tooling (demo, tests, faults, benches): tenant `dev`, every
 * scope, a rate no local run reaches. Kept in `file` (mode 0600) and reused while Redis still
 * holds it valid; without a file, or once Redis lost it, a new one is made. Without a file the key
 * is the run's own: removeToolingKey deletes it when the run is over.
 */
export async function ensureDevKey(env: NodeJS.ProcessEnv, file?: string): Promise<string> {
  return withKeys(env, async (keys) => {
    const kept = file === undefined ? undefined : readDevKey(file);
    const id = kept === undefined ? undefined : parseApiKey(kept)?.id;
    const record = id === undefined ? undefined : await keys.find(id);
    if (kept !== undefined && record !== undefined && record.revokedAt === undefined) return kept;
    const { token } = await keys.create({
      name: file === undefined ? 'tooling key (one run)' : 'development key (npm start)',
      tenant: 'dev',
      scopes: ['admin'],
      rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    });
    if (file !== undefined) writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return token;
  });
}

/** Deletes a run's own key (ensureDevKey without a file), so runs leave no keys behind. */
export async function removeToolingKey(env: NodeJS.ProcessEnv, token: string): Promise<void> {
  const id = parseApiKey(token)?.id;
  if (id !== undefined) await withKeys(env, (keys) => keys.remove(id));
}

async function withKeys<T>(env: NodeJS.ProcessEnv, use: (keys: ApiKeyRepository) => Promise<T>): Promise<T> {
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) throw new Error('REDIS_URL is not set: no Redis to keep the development API key in');
  // Fails fast rather than reconnecting for ever: a run stopping while Redis is down must not hang.
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return await use(new ApiKeyRepository(redis, env.REDIS_KEY_PREFIX ?? ''));
  } finally {
    redis.disconnect();
  }
}
