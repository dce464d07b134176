import { describe, expect, it } from 'vitest';
import { testRedis } from '@genstream/testing';

const fp32 = (values: number[]) => Buffer.from(new Float32Array(values).buffer);

describe('Redis round trip (ioredis against the real server)', () => {
  it('adds vectors with VADD and finds the nearest first with VSIM', async () => {
    await using redis = await testRedis('vectors');
    const set = redis.key('vs');
    const vectors: Record<string, number[]> = {
      north: [0, 1, 0],
      east: [1, 0, 0],
      up: [0, 0, 1],
      northEast: [0.7, 0.7, 0],
    };
    for (const [element, vector] of Object.entries(vectors)) {
      expect(await redis.redis.call('VADD', set, 'FP32', fp32(vector), element)).toBe(1);
    }
    expect(await redis.redis.call('VCARD', set)).toBe(4);

    const nearest = (await redis.redis.call('VSIM', set, 'FP32', fp32([0.1, 1, 0]), 'COUNT', 2)) as string[];
    expect(nearest).toEqual(['north', 'northEast']);
  });

  it('expires a key written with a TTL', async () => {
    await using redis = await testRedis('ttl');
    await redis.redis.set(redis.key('summary'), 'text', 'EX', 3600);
    const ttl = await redis.redis.ttl(redis.key('summary'));
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(await redis.redis.get(redis.key('summary'))).toBe('text');
  });
});
