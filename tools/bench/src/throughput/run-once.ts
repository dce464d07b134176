// One run of one system: N fresh requests to C workers, timed until each is in all four stores.
import { contentIdOf } from '@genstream/events';
import {
  STORES,
  describeExit,
  freshRequest,
  type RunningServices,
  type StoreReader,
} from '@genstream/launcher';
import type { Say } from '../runner/progress.js';
import { measure } from './measure.js';
import type { ThroughputSettings } from './options.js';
import { describeRun } from './report.js';
import type { RunMeasurement } from './results.js';
import { RssSampler, benchProcess, processesOf } from './resources.js';
import { waitMaterialized } from './store-poller.js';
import type { SystemUnderTest } from './system-under-test.js';

export interface RunContext {
  readonly reader: StoreReader;
  readonly services: RunningServices;
  readonly settings: ThroughputSettings;
  readonly runTimeoutMs: number;
  readonly say: Say;
  readonly signal: AbortSignal;
}

/**
 * Hands `count` fresh requests to the system at once and waits until each is in all four stores;
 * removes what it wrote, whatever happened. Run 0 is a warm-up.
 */
export async function runOnce(
  context: RunContext,
  system: SystemUnderTest,
  run: number,
  count: number,
): Promise<RunMeasurement> {
  const { settings, say } = context;
  const label = run === 0 ? `${system.name} warm-up` : `${system.name} run ${run}/${settings.runs}`;
  const requests = Array.from({ length: count }, () => freshRequest());
  const tracked = requests.map((request) => ({
    requestId: request.requestId,
    contentId: contentIdOf(request.requestId),
  }));
  const startedAt = new Array<number>(count).fill(0);
  const doneAt = new Array<number>(count).fill(0);
  const abort = new AbortController();
  const signal = AbortSignal.any([context.signal, abort.signal]);
  // The services in genstream runs; the bench process (publisher or baseline handler) always.
  const sampler = new RssSampler(
    [...(system.name === 'genstream' ? processesOf(context.services) : []), benchProcess(system.name)],
    settings.sampleMs,
  );
  say(`${label}: ${count} requests to ${settings.concurrency} workers`);
  sampler.start();
  const burstAt = Date.now();
  let measurement: RunMeasurement;
  try {
    const polling = waitMaterialized(context.reader, system.target, tracked, {
      pollMs: settings.pollMs,
      deadline: burstAt + context.runTimeoutMs,
      signal,
      check: () => assertServicesRunning(context.services),
      onProgress: (counts) =>
        say(`${label}: ${STORES.map((store) => `${store} ${counts[store]}`).join(', ')} of ${count}`),
    });
    const working = runWorkers(count, settings.concurrency, signal, async (i) => {
      startedAt[i] = Date.now();
      await system.handle(requests[i]!);
      doneAt[i] = Date.now();
    });
    // A failure of either side stops the other at once.
    const stopOthersOnFailure = async <T>(work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } catch (error) {
        abort.abort(error);
        throw error;
      }
    };
    const [materialized] = await Promise.all([stopOthersOnFailure(polling), stopOthersOnFailure(working)]);
    const peaks = sampler.stop();
    measurement = measure({
      system: system.name,
      run,
      settings,
      tracked,
      burstAt,
      startedAt,
      doneAt,
      materialized,
      peaks,
      generatedAt: system.generatedAt?.bind(system),
    });
  } catch (error) {
    sampler.stop();
    // The run's own error is the one worth reporting.
    await system
      .remove(requests, false)
      .catch((removal: unknown) => say(`${label}: could not remove its data: ${(removal as Error).message}`));
    throw error;
  }
  say(`${label}: ${describeRun(measurement)}`);
  await system.remove(requests, true);
  return measurement;
}

/** `count` jobs on `concurrency` workers, each taking the next job when it is free. */
async function runWorkers(
  count: number,
  concurrency: number,
  signal: AbortSignal,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      signal.throwIfAborted();
      await job(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function assertServicesRunning(services: RunningServices): void {
  for (const service of services.services) {
    if (service.exit) {
      throw new Error(
        `${service.name} stopped during the run (${describeExit(service.exit)}); its last lines:\n` +
          service.lastLines(15).join('\n'),
      );
    }
  }
}
