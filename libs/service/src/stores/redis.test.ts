import { describe, expect, it } from 'vitest';
import { createServiceLogger } from '../logging/service-logger.js';
import { redisClient, redisStore } from './redis.js';

describe('redisClient', () => {
  it('logs connection errors, at most one per errorLogIntervalMs', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createServiceLogger('test', 'info', (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    const every = redisClient('redis://127.0.0.1:1', logger, { lazyConnect: true });
    const throttled = redisClient('redis://127.0.0.1:1', logger, {
      lazyConnect: true,
      errorLogIntervalMs: 60_000,
    });
    try {
      expect(every.options.maxRetriesPerRequest).toBe(2);
      expect(every.status).toBe('wait');
      for (const redis of [every, throttled]) {
        redis.emit('error', new Error('connect ECONNREFUSED'));
        redis.emit('error', new Error('connect ECONNREFUSED'));
      }
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        message: 'Redis connection error',
        error: 'connect ECONNREFUSED',
      });
    } finally {
      every.disconnect();
      throttled.disconnect();
    }
  });

  it('has redisStore connect a lazyConnect client only', async () => {
    const logger = createServiceLogger('test', 'error');
    const eager = redisClient('redis://127.0.0.1:1', logger, { retryStrategy: () => null });
    try {
      expect(eager.status).not.toBe('wait');
      // Would reject as "already connecting" if it called connect().
      await redisStore.connect?.(eager);
    } finally {
      eager.disconnect();
    }
  });
});
