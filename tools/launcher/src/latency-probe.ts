import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GenerationRequested } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import type { KafkaProbe } from './kafka-probe.js';
import { STORES, waitForStores, type Arrival, type StoreName } from './materialized.js';
import type { StoreReader } from './stores.js';

export interface LatencySummary {
  /** The requests published (e.g. to remove their content afterwards). */
  readonly requests: readonly GenerationRequested[];
  readonly samples: readonly Arrival[];
  /** Median over the samples of the time until the last of the four stores had the request. */
  readonly medianAllMs: number;
  readonly medianMs: Readonly<Record<StoreName, number>>;
}

/** A request no earlier run made (own user, own prompt): answered by the model, not the cache. */
export function freshRequest(overrides: Partial<GenerationRequested> = {}): GenerationRequested {
  const ticket = randomInt(10_000, 99_999);
  return aGenerationRequested({
    userId: randomInt(1_000_000, 9_000_000),
    // One title for all: search results (e.g. the demo's) show each title once.
    title: 'Latency probe: slow nightly export',
    prompt:
      `Ticket ${ticket} reports that the nightly export to the data warehouse took ${randomInt(20, 90)} minutes. ` +
      'The export usually finishes in under ten minutes. ' +
      'Summarize the likely causes and the next steps for the on-call engineer.',
    requestedAt: Date.now(),
    correlationId: randomUUID(),
    ...overrides,
  });
}

/**
 * Publishes `count` requests one at a time (each waits for the previous one to be everywhere) and
 * measures, for each, the time from publishing it on Kafka to its being in all four stores, as
 * seen by polling every 5 ms (see waitForStores for how exact the MongoDB time is).
 */
export async function measurePublishToStores(
  probe: KafkaProbe,
  reader: StoreReader,
  count: number,
  onSample?: (sample: Arrival, index: number) => void,
): Promise<LatencySummary> {
  const samples: Arrival[] = [];
  const requests: GenerationRequested[] = [];
  for (let i = 0; i < count; i++) {
    const request = freshRequest();
    requests.push(request);
    const since = Date.now();
    await probe.publishRequests([request]);
    const arrival = (
      await waitForStores(reader, [request.requestId], { since, pollMs: 5, timeoutMs: 60_000 })
    ).get(request.requestId)!;
    samples.push(arrival);
    onSample?.(arrival, i);
    await sleep(200); // let each consumer go back to its idle fetch, as for a lone request
  }
  return {
    requests,
    samples,
    medianAllMs: median(samples.map((s) => s.allMs)),
    medianMs: Object.fromEntries(
      STORES.map((store) => [store, median(samples.map((s) => s.ms[store]))]),
    ) as Record<StoreName, number>,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function formatLatency(summary: LatencySummary): string {
  const per = STORES.map((store) => `${store} ${Math.round(summary.medianMs[store])} ms`).join(', ');
  return (
    `publish to all four stores, median of ${summary.samples.length} single requests: ` +
    `${Math.round(summary.medianAllMs)} ms (per store: ${per}; ` +
    `samples: ${summary.samples.map((s) => Math.round(s.allMs)).join(', ')} ms)`
  );
}
