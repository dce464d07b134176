// What the Redis server says about itself and about the set: INFO fields, MEMORY USAGE, VSIM replies.
import type { Redis } from 'ioredis';
import type { Scored } from './results.js';

/** VSIM ... WITHSCORES: a flat [name, score, ...] list (RESP2). */
export function scored(reply: unknown): Scored[] {
  if (!Array.isArray(reply)) throw new Error(`unexpected VSIM reply: ${JSON.stringify(reply)}`);
  const pairs: Scored[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), Number(reply[i + 1])]);
  return pairs;
}

export async function memoryUsage(redis: Redis, key: string): Promise<number | null> {
  try {
    const reply = await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', 0);
    return typeof reply === 'number' ? reply : null;
  } catch {
    return null;
  }
}

/** User plus system CPU seconds of the Redis process, every thread (not its snapshot children). */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  return Number(infoField(info, 'used_cpu_user') ?? 0) + Number(infoField(info, 'used_cpu_sys') ?? 0);
}

export function infoField(info: string, field: string): string | undefined {
  const line = info.split(/\r?\n/).find((candidate) => candidate.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}
