// One simulated model latency of the cache bench: warm-up pairs, then the measured pairs (a model
// call, then the same request answered from the exact response cache), each checked.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  MODEL_CALLS_METRIC,
  fetchMetrics,
  metricValue,
  type GenerationStatus,
  type GenstreamClient,
  type StoreReader,
} from '@genstream/launcher';
import type { Say } from '../runner/progress.js';
import { latencyPercentiles, spreadOf } from '../stats.js';
import { distinctRequest, type SentRequest } from './prompts.js';
import { CACHE_HITS_METRIC, type CacheLatencyResult, type ClientLatencyFigures } from './results.js';

const DONE_TIMEOUT_MS = 60_000;

interface Timed {
  readonly requestId: string;
  readonly ms: number;
  readonly status: GenerationStatus;
}

export interface PassSettings {
  readonly signal: AbortSignal;
  readonly pollMs: number;
  readonly pauseMs: number;
  readonly say: Say;
}

/** One simulated latency: warm-up pairs, then the measured pairs, with their checks. */
export class Pass {
  private readonly getMs: number[] = [];

  constructor(
    private readonly client: GenstreamClient,
    private readonly reader: StoreReader,
    private readonly latencyMs: number,
    private readonly settings: PassSettings,
    private readonly sent: SentRequest[],
  ) {}

  async run(prompts: number, warmup: number, generationReadyMs: number): Promise<CacheLatencyResult> {
    const { say } = this.settings;
    for (let i = 0; i < warmup; i++) await this.pair();
    const misses: number[] = [];
    const hits: number[] = [];
    let modelCallsDuringMisses = 0;
    let modelCallsDuringHits = 0;
    let responseCacheHitsDuringHits = 0;
    for (let i = 0; i < prompts; i++) {
      const pair = await this.pair();
      misses.push(pair.missMs);
      hits.push(pair.hitMs);
      modelCallsDuringMisses += pair.modelCallsDuringMiss;
      modelCallsDuringHits += pair.modelCallsDuringHit;
      responseCacheHitsDuringHits += pair.responseCacheHits;
      say(
        `L=${this.latencyMs} ms ${i + 1}/${prompts}: model call ${Math.round(pair.missMs)} ms, ` +
          `exact cache ${Math.round(pair.hitMs)} ms`,
      );
    }
    if (modelCallsDuringMisses !== prompts) {
      throw new Error(
        `expected ${prompts} model calls for the ${prompts} first requests, the generation service counted ${modelCallsDuringMisses}`,
      );
    }
    if (modelCallsDuringHits !== 0 || responseCacheHitsDuringHits !== prompts) {
      throw new Error(
        `the repeats were not all answered from the response cache: ${modelCallsDuringHits} model call(s), ` +
          `${responseCacheHitsDuringHits} of ${prompts} response cache hit(s) counted`,
      );
    }
    const miss = figures(misses);
    const hit = figures(hits);
    return {
      simulatedLatencyMs: this.latencyMs,
      prompts,
      miss,
      hit,
      reductionP50: 1 - hit.p50Ms / miss.p50Ms,
      reductionP99: 1 - hit.p99Ms / miss.p99Ms,
      pairReduction: spreadOf(misses.map((m, i) => 1 - hits[i]! / m)),
      ratioP50: hit.p50Ms / miss.p50Ms,
      ratioP99: hit.p99Ms / miss.p99Ms,
      counted: { modelCallsDuringMisses, modelCallsDuringHits, responseCacheHitsDuringHits },
      statusGetMs: spreadOf(this.getMs).median,
      generationReadyMs,
    };
  }

  /** One prompt: the first request (a model call), then the same request again (the exact cache). */
  private async pair(): Promise<{
    missMs: number;
    hitMs: number;
    modelCallsDuringMiss: number;
    modelCallsDuringHit: number;
    responseCacheHits: number;
  }> {
    this.settings.signal.throwIfAborted();
    const request = distinctRequest();
    const before = await this.counters();
    const miss = await this.timed(request);
    const afterMiss = await this.counters();
    if (miss.status.cacheHit !== 'NONE') {
      throw new Error(
        `the first request for a new prompt (${miss.requestId}) was not a model call: cacheHit ${miss.status.cacheHit}`,
      );
    }
    await this.expectCacheEntry(request);
    const hit = await this.timed(request);
    const afterHit = await this.counters();
    if (hit.status.cacheHit !== 'EXACT') {
      throw new Error(
        `the repeat ${hit.requestId} (same prompt, model and user as ${miss.requestId}) was not ` +
          `answered from the cache: cacheHit ${hit.status.cacheHit}`,
      );
    }
    return {
      missMs: miss.ms,
      hitMs: hit.ms,
      modelCallsDuringMiss: afterMiss.modelCalls - before.modelCalls,
      modelCallsDuringHit: afterHit.modelCalls - afterMiss.modelCalls,
      responseCacheHits: afterHit.responseCacheHits - afterMiss.responseCacheHits,
    };
  }

  /** POST, then GET every pollMs until `done`: the time from sending the POST to reading `done`. */
  private async timed(request: Omit<SentRequest, 'requestId'>): Promise<Timed> {
    const requestId = randomUUID();
    this.sent.push({ ...request, requestId });
    const body = { ...request, requestId, title: 'Cache benchmark: incident summary' };
    const started = performance.now();
    await this.client.requestGeneration(body);
    const deadline = started + DONE_TIMEOUT_MS;
    const getMs: number[] = [];
    for (;;) {
      const asked = performance.now();
      const status = await this.client.status(requestId);
      const now = performance.now();
      getMs.push(now - asked);
      if (status?.state === 'done') {
        this.getMs.push(...getMs);
        await sleep(this.settings.pauseMs);
        return { requestId, ms: now - started, status };
      }
      if (status?.state === 'failed') {
        throw new Error(`request ${requestId} failed: ${JSON.stringify(status.error)}`);
      }
      if (now > deadline) {
        throw new Error(`request ${requestId} was not done within ${DONE_TIMEOUT_MS / 1000} s`);
      }
      await sleep(this.settings.pollMs);
    }
  }

  /**
   * The cache-updater writes the response cache entry in the same pipeline as the `done` status;
   * this checks it is there. It then deletes the generation service's flight result for this answer
   * (kept 2 minutes for redeliveries, and read before the cache), so that the repeat is answered
   * from the response cache itself, as every repeat after those 2 minutes is.
   */
  private async expectCacheEntry(request: Omit<SentRequest, 'requestId'>): Promise<void> {
    const entry = await this.reader.cacheEntry(request);
    if (entry === undefined) {
      throw new Error(`no response cache entry for the prompt after its first request was done`);
    }
    const hash = entry.key.slice(entry.key.lastIndexOf(':') + 1);
    await this.reader.redis.del(`genstream:flight:{${hash}}`);
  }

  private async counters(): Promise<{ modelCalls: number; responseCacheHits: number }> {
    const text = await fetchMetrics(this.client.generationUrl);
    return {
      modelCalls: metricValue(text, MODEL_CALLS_METRIC),
      responseCacheHits: metricValue(text, CACHE_HITS_METRIC, { source: 'cache' }),
    };
  }
}

function figures(samplesMs: readonly number[]): ClientLatencyFigures {
  const { p50, p95, p99 } = latencyPercentiles(samplesMs);
  return { samplesMs, p50Ms: p50, p95Ms: p95, p99Ms: p99, spread: spreadOf(samplesMs) };
}
