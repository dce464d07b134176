// The cache result as a table, and what it means.
import { formatTable } from '@genstream/stack';
import { formatRatio, formatSpread } from '../stats.js';
import { CACHE_HITS_METRIC, type CacheBenchResult } from './results.js';

/** "92.4%" */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/**
 * The table of one cache benchmark: per simulated latency, p50 (the median of the samples, with
 * their spread) and p99 of a model call and of an exact-cache hit, the reduction and the ratio.
 */
export function formatCacheTable(result: CacheBenchResult): string {
  return formatTable([
    [
      'model latency',
      'model call p50',
      'model call p99',
      'cache hit p50',
      'cache hit p99',
      'reduction p50',
      'reduction p99',
      'reduction per prompt',
      'hit/miss p50',
    ],
    ...result.latencies.map((l) => [
      ms(l.simulatedLatencyMs),
      `${formatSpread(l.miss.spread)} ms`,
      ms(l.miss.p99Ms),
      `${formatSpread(l.hit.spread)} ms`,
      ms(l.hit.p99Ms),
      formatPercent(l.reductionP50),
      formatPercent(l.reductionP99),
      `${formatPercent(l.pairReduction.median)} (${formatPercent(l.pairReduction.min)}..${formatPercent(l.pairReduction.max)})`,
      formatRatio(l.hit.p50Ms, l.miss.p50Ms),
    ]),
  ]);
}

/** What the table means, how exact it is, and what was checked. */
export function describeCacheResult(result: CacheBenchResult): string {
  const { settings } = result;
  const getMs = Math.max(...result.latencies.map((l) => l.statusGetMs));
  const reductions = result.latencies
    .map((l) => `${formatPercent(l.reductionP50)} at ${ms(l.simulatedLatencyMs)}`)
    .join(', ');
  return [
    `Client-seen latency: POST /v1/generations to the first GET /v1/generations/{id} answering done, ` +
      `${settings.prompts} distinct prompts per model latency (model '${settings.model}', ` +
      `LLM_LOCAL_LATENCY_MS), each sent first as a model call (cacheHit NONE) and then, once done, ` +
      `again with the same prompt, model and user and a new requestId (cacheHit EXACT).`,
    `p50 is the median of the ${settings.prompts} samples, ± half their min..max range; reduction = 1 - hit/miss; ` +
      `per prompt: the median (min..max) of each prompt's own reduction. ` +
      `p99 of ${settings.prompts} samples lies between the two slowest.`,
    `Resolution: polled every ${settings.pollMs} ms, one status GET takes ${getMs.toFixed(1)} ms (median), ` +
      `so each sample is late by at most ~${Math.ceil(settings.pollMs + getMs)} ms.`,
    `Checked: every first request NONE and counted as one model call; every repeat EXACT, no model call ` +
      `and one response cache hit (${CACHE_HITS_METRIC}{source="cache"}) each.`,
    `The seed claims a ${formatPercent(result.claimedReduction)} reduction; measured at p50: ${reductions}.`,
  ].join('\n');
}
