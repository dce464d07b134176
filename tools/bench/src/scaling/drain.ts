// One drain: a fresh consumer group of one writer, with N instances, reads the pre-filled topic to
// its end into an empty store; its committed offsets are sampled all along (see window.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { committedTotal } from '@genstream/kafka';
import {
  describeExit,
  fetchMetrics,
  metricValue,
  startServices,
  type RunningServices,
} from '@genstream/launcher';
import type { Admin, Kafka } from 'kafkajs';
import type { Say } from '../runner/progress.js';
import { Gate } from './gate.js';
import { coresBetween, readCpu, type CpuReading } from './cpu.js';
import type { ConsumeMeasurement, WriterService } from './results.js';
import { consumptionWindow, windowClosed, type ConsumptionWindow, type GroupSample } from './window.js';
import type { WriterStore } from './writer-stores.js';

const HANDLED = 'genstream_kafka_consumer_records_handled_total';

export interface DrainContext {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly partitions: number;
  /** The services' environment: the servers' variables and TOPIC_PREFIX. */
  readonly env: NodeJS.ProcessEnv;
  readonly portOffset: number;
  readonly prefix: string;
  readonly topic: string;
  readonly records: number;
  /** The window closes this long after it opened if the backlog lasts longer (see window.ts). */
  readonly maxWindowMs: number;
  readonly pollMs: number;
  /** Longest a drain may take, start-up included. */
  readonly timeoutMs: number;
  readonly say: Say;
  readonly signal: AbortSignal;
}

/** The writer's consumer group: consumerGroupId() of @genstream/service. */
export const groupOf = (prefix: string, writer: WriterService) => `${prefix}genstream.${writer}`;

export async function drainOnce(
  context: DrainContext,
  writer: WriterService,
  store: WriterStore,
  instances: number,
  run: number,
): Promise<ConsumeMeasurement> {
  const { admin, say } = context;
  const group = groupOf(context.prefix, writer);
  const began = Date.now();
  await freshGroup(admin, group, context.topic);
  await store.reset();
  const gate = await Gate.hold(context.kafka, group, context.topic, context.partitions);
  const pids: number[] = [];
  let services: RunningServices | undefined;
  let sampling: ReturnType<typeof sampleUntilDrained> | undefined;
  const halt = new AbortController();
  try {
    const spawnedAt = Date.now();
    services = await startServices({
      env: { ...context.env, ...store.env },
      portOffset: context.portOffset,
      only: [writer],
      replicas: { [writer]: instances },
      onSpawned: (service) => pids.push(service.pid),
    });
    const healthyAt = Date.now();
    await Gate.untilMembers(admin, group, instances + 1, 60_000);
    const running = services;
    const signal = AbortSignal.any([context.signal, halt.signal]);
    sampling = sampleUntilDrained({ ...context, signal }, instances, group, pids, () => running);
    // Its failure (a service exited, the deadline) is awaited below; until then it must not go unhandled.
    void sampling.catch(() => undefined);
    const releasedAt = Date.now();
    await gate.release();
    const drained = await sampling;
    const handledPerInstance = await Promise.all(
      services.instances(writer).map(async (one) => metricValue(await fetchMetrics(one.spec.url), HANDLED)),
    );
    const drainedAt = Date.now();
    const window = consumptionWindow(drained.samples, context.records, instances, context.maxWindowMs);
    const stops = await services.stop();
    for (const stop of stops.filter((one) => one.outcome !== 'exited' || one.exit.code !== 0)) {
      say(
        `${stop.label} did not stop cleanly: ${stop.outcome}, ${describeExit(stop.exit)} after ${stop.ms} ms`,
      );
    }
    // Every record the group committed is in the store: the window's count stands.
    const committed = await committedTotal(admin, group, context.topic);
    const stored = await store.count();
    if (stored < committed)
      throw new Error(`${writer}: ${stored} records in its store, ${committed} committed`);
    const cores = coresBetween(drained.cpu[window.startIndex]!, drained.cpu[window.endIndex]!);
    const measurement: ConsumeMeasurement = {
      writer,
      instances,
      run,
      ...windowFigures(window),
      startMs: healthyAt - spawnedAt,
      phasesMs: {
        prepare: spawnedAt - began,
        start: healthyAt - spawnedAt,
        join: releasedAt - healthyAt,
        rebalance: window.startAt - releasedAt,
        drain: window.windowMs,
        stop: Date.now() - drainedAt,
      },
      handledPerInstance,
      committedAfterStop: committed,
      stored,
      cpu: { machineBusyCores: cores.machineBusyCores, writerCores: cores.processCores },
    };
    say(describeDrain(measurement));
    return measurement;
  } finally {
    halt.abort(new Error('drain over'));
    await gate.release().catch(() => undefined);
    await services?.stop();
    await sampling?.catch(() => undefined);
  }
}

function windowFigures(window: ConsumptionWindow) {
  const { recordsPerSecond, windowMs, recordsInWindow, committedBeforeWindow, steady } = window;
  return { recordsPerSecond, windowMs, recordsInWindow, committedBeforeWindow, steady };
}

export function describeDrain(m: ConsumeMeasurement): string {
  const rate = Math.round(m.recordsPerSecond).toLocaleString('en-US');
  return (
    `${m.writer} x${m.instances} run ${m.run}: ${rate} records/s (${m.recordsInWindow.toLocaleString('en-US')} ` +
    `in ${(m.windowMs / 1000).toFixed(1)} s${m.steady ? '' : ', NOT steady'}, ${m.committedBeforeWindow} ` +
    `committed before); per instance ${m.handledPerInstance.join(' / ')}; ` +
    `cores busy ${m.cpu.machineBusyCores.toFixed(2)} (writer ${m.cpu.writerCores.toFixed(2)}); ` +
    `phases ${Object.entries(m.phasesMs)
      .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)}`)
      .join(', ')} s`
  );
}

/** Samples the group (and the CPU) every pollMs until every record is committed. */
async function sampleUntilDrained(
  context: DrainContext,
  instances: number,
  group: string,
  pids: readonly number[],
  running: () => RunningServices | undefined,
): Promise<{ samples: GroupSample[]; cpu: CpuReading[] }> {
  const { admin, records, topic } = context;
  const samples: GroupSample[] = [];
  const cpu: CpuReading[] = [];
  const deadline = Date.now() + context.timeoutMs;
  let lastSay = Date.now();
  while (!windowClosed(samples, records, instances, context.maxWindowMs)) {
    context.signal.throwIfAborted();
    for (const service of running()?.services ?? []) {
      if (service.exit) {
        throw new Error(
          `${service.label} exited during the drain (${describeExit(service.exit)}); its last lines:\n` +
            service.lastLines(10).join('\n'),
        );
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`${group}: ${samples.at(-1)?.committed ?? 0} of ${records} committed in time`);
    }
    const [committed, described] = await Promise.all([
      committedTotal(admin, group, topic),
      admin.describeGroups([group]),
    ]);
    const description = described.groups[0];
    cpu.push(readCpu(pids));
    samples.push({
      at: cpu.at(-1)!.at,
      committed,
      members: description?.members.length ?? 0,
      stable: description?.state === 'Stable',
    });
    if (Date.now() - lastSay > 2_000) {
      lastSay = Date.now();
      context.say(`${group}: ${committed.toLocaleString('en-US')} of ${records} committed`);
    }
    await sleep(context.pollMs);
  }
  return { samples, cpu };
}

/** No member and nothing committed: a new group, reading the topic from its start. */
async function freshGroup(admin: Admin, group: string, topic: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [description] = (await admin.describeGroups([group])).groups;
    if ((description?.members.length ?? 0) === 0) {
      await admin.deleteGroups([group]).catch(() => undefined);
      if ((await committedTotal(admin, group, topic)) === 0) return;
    }
    await sleep(200);
  }
  throw new Error(`consumer group ${group} could not be emptied and deleted`);
}
