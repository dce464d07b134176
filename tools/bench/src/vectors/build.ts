// VADD of every stored vector in pipelines, one pipeline in flight, as many builds as asked (each
// from empty): the store's insertion rate, its memory, and how much CPU Redis itself spent.
import type { Redis } from 'ioredis';
import type { Say } from '../runner/progress.js';
import { infoField, redisCpuSeconds } from './redis-info.js';
import { fp32Blob, row, type StoredVectors } from './vector-data.js';

export interface BuildFigures {
  /** N / seconds of each build. */
  readonly buildRates: readonly number[];
  /** The rates of the tenths of the last build. */
  readonly segmentRates: readonly number[];
  readonly usedMemoryDeltaBytes: number;
  readonly redisCpuDuringBuild: { readonly cpuSeconds: number; readonly wallSeconds: number };
}

export interface BuildPlan {
  readonly key: string;
  readonly builds: number;
  readonly pipelineSize: number;
  readonly say: Say;
  readonly signal?: AbortSignal;
}

export async function buildSets(redis: Redis, stored: StoredVectors, plan: BuildPlan): Promise<BuildFigures> {
  const buildRates: number[] = [];
  let last: Omit<BuildFigures, 'buildRates'> = {
    segmentRates: [],
    usedMemoryDeltaBytes: 0,
    redisCpuDuringBuild: { cpuSeconds: 0, wallSeconds: 0 },
  };
  for (let build = 1; build <= plan.builds; build++) {
    await redis.unlink(plan.key);
    const usedBefore = await usedMemory(redis);
    plan.say(
      `build ${build}/${plan.builds}: VADD ${stored.count.toLocaleString('en-US')} vectors (FP32 blobs, Q8, SETATTR) in pipelines of ${plan.pipelineSize}`,
    );
    const cpuBefore = await redisCpuSeconds(redis);
    const started = performance.now();
    const segmentRates = await addAll(redis, stored, plan);
    const seconds = (performance.now() - started) / 1000;
    buildRates.push(stored.count / seconds);
    last = {
      segmentRates,
      redisCpuDuringBuild: { cpuSeconds: (await redisCpuSeconds(redis)) - cpuBefore, wallSeconds: seconds },
      usedMemoryDeltaBytes: (await usedMemory(redis)) - usedBefore,
    };
    plan.say(
      `build ${build}/${plan.builds}: ${Math.round(stored.count / seconds).toLocaleString('en-US')} VADD/s (${seconds.toFixed(1)} s)`,
    );
  }
  return { buildRates, ...last };
}

/** One build; returns the VADD rate of each tenth of it, in order. */
async function addAll(redis: Redis, stored: StoredVectors, plan: BuildPlan): Promise<number[]> {
  const n = stored.count;
  const { pipelineSize } = plan;
  const segment = Math.max(pipelineSize, Math.ceil(n / 10 / pipelineSize) * pipelineSize);
  const segmentRates: number[] = [];
  let segmentStarted = performance.now();
  let segmentStart = 0;
  for (let start = 0; start < n; start += pipelineSize) {
    plan.signal?.throwIfAborted();
    const end = Math.min(n, start + pipelineSize);
    const pipeline = redis.pipeline();
    for (let i = start; i < end; i++) {
      pipeline.vadd(
        plan.key,
        'FP32',
        fp32Blob(row(stored, i)),
        stored.names[i]!,
        'Q8',
        'SETATTR',
        stored.attributes[i]!,
      );
    }
    const replies = await pipeline.exec();
    const failed = replies?.find(([error]) => error !== null);
    if (replies === null || failed !== undefined) {
      throw new Error(`VADD failed: ${failed?.[0]?.message ?? 'the pipeline was not run'}`);
    }
    if (end - segmentStart >= segment || end === n) {
      const now = performance.now();
      const rate = (end - segmentStart) / ((now - segmentStarted) / 1000);
      segmentRates.push(rate);
      plan.say(
        `  ${end.toLocaleString('en-US').padStart(9)} added, ` +
          `${Math.round(rate).toLocaleString('en-US')} VADD/s over the last ${(end - segmentStart).toLocaleString('en-US')}`,
      );
      segmentStart = end;
      segmentStarted = now;
    }
  }
  return segmentRates;
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(infoField(await redis.info('memory'), 'used_memory') ?? 0);
}
