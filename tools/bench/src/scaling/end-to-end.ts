// Part two: end-to-end events/s (a burst of requests to all four stores) of the five services in a
// few replica layouts, with the throughput bench's system under test (GenstreamSystem: publish on
// Kafka, poll the stores) and its runOnce; the services are restarted in each layout.
import { StoreReader, startServices, type RunningServices, type StoreUrls } from '@genstream/launcher';
import type { Admin, Kafka } from 'kafkajs';
import type { Say } from '../runner/progress.js';
import { GenstreamSystem } from '../throughput/genstream-system.js';
import { THROUGHPUT_DEFAULTS } from '../throughput/options.js';
import { runOnce, type RunContext } from '../throughput/run-once.js';
import { coresBetween, readCpu } from './cpu.js';
import { processCount } from './layouts.js';
import type { Layout, LayoutRun, ScalingSettings } from './results.js';

export interface EndToEndContext {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly urls: StoreUrls & { readonly KAFKA_BROKERS: string };
  /** The services' environment: the servers' variables and TOPIC_PREFIX = prefix. */
  readonly env: NodeJS.ProcessEnv;
  readonly portOffset: number;
  readonly prefix: string;
  /** The OTLP endpoint traced layouts export to; required when one is measured. */
  readonly tracingEndpoint?: string;
  readonly settings: ScalingSettings;
  readonly say: Say;
  readonly signal: AbortSignal;
}

/** Every run of every layout, round after round (even rounds take the layouts in reverse). */
export async function measureLayouts(
  context: EndToEndContext,
  layouts: readonly Layout[],
): Promise<LayoutRun[]> {
  const { settings, say } = context;
  const reader = await StoreReader.connect(context.urls);
  let genstream: GenstreamSystem | undefined;
  const runs: LayoutRun[] = [];
  try {
    genstream = await GenstreamSystem.open(
      context.kafka,
      context.admin,
      context.prefix,
      context.urls.KAFKA_BROKERS,
      reader,
    );
    let tracking = false;
    for (let round = 1; round <= settings.rounds; round++) {
      const order = round % 2 === 1 ? layouts : [...layouts].reverse();
      for (const [i, layout] of order.entries()) {
        context.signal.throwIfAborted();
        say(
          `round ${round}/${settings.rounds}, layout ${i + 1}/${layouts.length}: ${layout.name} ` +
            `(${processCount(layout.replicas)} processes)`,
        );
        if (layout.tracing && !context.tracingEndpoint)
          throw new Error(`layout ${layout.name} traces, but no OTLP endpoint was given`);
        const services = await startServices({
          env: layout.tracing
            ? { ...context.env, OTEL_EXPORTER_OTLP_ENDPOINT: context.tracingEndpoint }
            : context.env,
          portOffset: context.portOffset,
          replicas: layout.replicas,
        });
        try {
          if (!tracking) await genstream.startTracking();
          tracking = true;
          runs.push(...(await runLayout(context, { reader, services, genstream, layout, round })));
        } finally {
          await services.stop();
        }
      }
    }
    return runs;
  } finally {
    await genstream?.close();
    await reader.close();
  }
}

async function runLayout(
  context: EndToEndContext,
  on: {
    reader: StoreReader;
    services: RunningServices;
    genstream: GenstreamSystem;
    layout: Layout;
    round: number;
  },
): Promise<LayoutRun[]> {
  const { settings } = context;
  const runContext: RunContext = {
    reader: on.reader,
    services: on.services,
    settings: {
      requests: settings.requests,
      runs: settings.layoutRuns,
      concurrency: settings.concurrency,
      warmupRequests: settings.warmupRequests,
      pollMs: THROUGHPUT_DEFAULTS.pollMs,
      sampleMs: THROUGHPUT_DEFAULTS.sampleMs,
    },
    runTimeoutMs: THROUGHPUT_DEFAULTS.runTimeoutMs,
    say: (message) => context.say(`${on.layout.name}: ${message}`),
    signal: context.signal,
  };
  if (settings.warmupRequests > 0) await runOnce(runContext, on.genstream, 0, settings.warmupRequests);
  const runs: LayoutRun[] = [];
  for (let run = 1; run <= settings.layoutRuns; run++) {
    const before = readCpu([]);
    const measured = await runOnce(runContext, on.genstream, run, settings.requests);
    const cores = coresBetween(before, readCpu([]));
    runs.push({
      layout: on.layout.name,
      round: on.round,
      run,
      eventsPerSecond: measured.eventsPerSecond,
      latencyP50Ms: measured.latencyMs.p50,
      latencyP99Ms: measured.latencyMs.p99,
      durationMs: measured.durationMs,
      cpu: { machineBusyCores: cores.machineBusyCores },
    });
  }
  return runs;
}
