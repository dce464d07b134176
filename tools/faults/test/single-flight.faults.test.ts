// Single flight across replicas: two generation instances in one consumer group, N identical
// requests (same user, prompt, model and parameters: one cache key, one flight) sent at once over
// both instances' HTTP APIs and Kafka. The model is slow (LLM_LOCAL_LATENCY_MS), so the instance
// that takes the flight's lock holds it while the other waits on it in Redis. Part 1: exactly one
// model call over both instances' /metrics. Part 2: kill -9 of the holder mid-call; its lock
// expires (it renews no more), the survivor takes the flight over, calls the model once and
// answers every request, its own and (after the session timeout) the dead one's partitions'.
// Each request gets a ContentGenerated of its own (contentId from its requestId): one with
// cacheHit NONE, the others EXACT; the response cache holds one entry, the NONE one's.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS, contentIdOf, type ContentGenerated, type GenerationRequested } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { answerKeyOf } from '@genstream/generation';
import {
  GenstreamClient,
  MODEL_CALLS_METRIC,
  fetchMetrics,
  freePorts,
  metricValue,
  type ServiceProcess,
} from '@genstream/launcher';
import { scanKeys } from '@genstream/testing/redis-keys';
import { AssignerProtocol } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  FaultRig,
  FiguresFile,
  describeDeadLetter,
  describeProblems,
  groupOf,
  readTopicRange,
  reconcile,
  wipeStores,
  type CaseFigures,
  type Offsets,
  type Reconciliation,
  type StoreTally,
} from '../src/index.js';

const N = 20;
/** Long enough to find the holder and kill it while its model call runs, even on a loaded machine. */
const MODEL_LATENCY_MS = 20_000;
const GENERATION = 'generation';
// Generation's flight keys (services/generation flight-keys.ts): the lock holds a random token,
// renewed while its holder generates; the result is written before the lock goes.
const lockKey = (flightId: string) => `genstream:lock:{${flightId}}`;
const resultKey = (flightId: string) => `genstream:flight:{${flightId}}`;

/** Counters of one generation instance, from its /metrics. */
interface Counters {
  readonly modelCalls: number;
  readonly misses: number;
  readonly hits: number;
  readonly clusterWaits: number;
  readonly handled: number;
}

async function countersOf(instance: ServiceProcess): Promise<Counters> {
  const text = await fetchMetrics(instance.spec.url);
  return {
    modelCalls: metricValue(text, MODEL_CALLS_METRIC),
    misses: metricValue(text, 'genstream_generation_cache_misses_total'),
    hits: metricValue(text, 'genstream_generation_cache_hits_total'),
    clusterWaits: metricValue(text, 'genstream_generation_single_flight_waits_total', { scope: 'cluster' }),
    handled: metricValue(text, 'genstream_kafka_consumer_records_handled_total'),
  };
}

function delta(now: Counters, before: Counters): Counters {
  const keys = Object.keys(now) as (keyof Counters)[];
  return Object.fromEntries(keys.map((key) => [key, now[key] - before[key]])) as unknown as Counters;
}

/** One case's requests, where its evidence starts and each instance's counters before it. */
interface SingleFlightRun {
  readonly requests: readonly GenerationRequested[];
  readonly flightId: string;
  readonly instances: readonly ServiceProcess[];
  readonly before: readonly Counters[];
  readonly offsets: Offsets;
}

/** N identical requests: only ids, titles and correlation ids differ (none is in the cache key). */
function identicalRequests(tag: string): GenerationRequested[] {
  const run = randomUUID().slice(0, 8);
  const userId = 5_000_000 + Math.floor(Math.random() * 1_000_000);
  const prompt = `Summarize the ${tag} incident ${run} for the on-call handbook in three sentences.`;
  return Array.from({ length: N }, (_, i) =>
    aGenerationRequested({ userId, prompt, title: `${tag} ${run} #${i}`, requestedAt: Date.now() }),
  );
}

async function startRun(rig: FaultRig, tag: string): Promise<SingleFlightRun> {
  await rig.failOnCrash(rig.waitAllCaughtUp());
  await wipeStores(rig.reader);
  const instances = rig.services.instances(GENERATION);
  expect(instances).toHaveLength(2);
  await waitBothAssigned(rig);
  const requests = identicalRequests(tag);
  const flightIds = new Set(requests.map((request) => answerKeyOf(request).flightId));
  expect(flightIds.size).toBe(1);
  return {
    requests,
    flightId: [...flightIds][0]!,
    instances,
    before: await Promise.all(instances.map(countersOf)),
    offsets: await rig.evidenceOffsets(),
  };
}

/** Until the generation group is stable with two members, each holding some partitions. */
async function waitBothAssigned(rig: FaultRig, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { groups } = await rig.probe.admin.describeGroups([groupOf(GENERATION)]);
    const group = groups[0]!;
    const sizes = group.members.map((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return decoded?.assignment[TOPICS.GenerationRequested]?.length ?? 0;
    });
    const seen = `${group.state}, partitions per member: ${sizes.join(', ')}`;
    if (group.state === 'Stable' && sizes.length === 2 && sizes.every((n) => n > 0)) return;
    if (Date.now() > deadline) throw new Error(`generation group not shared by two instances: ${seen}`);
    await sleep(500);
  }
}

/** Sends every request at once: in turn over instance 1's HTTP API, instance 2's, and Kafka. */
async function sendSpread(rig: FaultRig, run: SingleFlightRun): Promise<void> {
  const apiKey = rig.services.apiKey;
  const clients = run.instances.map(
    (instance) => new GenstreamClient(instance.spec.url, instance.spec.url, { apiKey }),
  );
  const overKafka = run.requests.filter((_, i) => i % 3 === 2);
  await Promise.all([
    rig.probe.publishRequests(overKafka),
    ...run.requests
      .filter((_, i) => i % 3 !== 2)
      .map((request, i) =>
        clients[i % 2]!.requestGeneration({
          requestId: request.requestId,
          userId: request.userId,
          title: request.title,
          prompt: request.prompt,
          model: request.model,
          parameters: { ...request.parameters },
        }),
      ),
  ]);
}

/**
 * The instance holding the flight: the lock is taken, and the other instance waited on it (a
 * waiter counts its cluster wait when its claim finds the lock busy; the holder never does, and a
 * process has one claim loop per flight). Fails when the model answered first (no call to cut).
 */
async function findHolder(rig: FaultRig, run: SingleFlightRun, timeoutMs = MODEL_LATENCY_MS - 3_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = (await Promise.all(run.instances.map(countersOf))).map((c, i) => delta(c, run.before[i]!));
    const token = await rig.reader.redis.get(lockKey(run.flightId));
    const waiters = now.flatMap((counters, i) => (counters.clusterWaits > 0 ? [i] : []));
    expect(now.map((c) => c.modelCalls)).toEqual([0, 0]);
    if (token !== null && waiters.length === 1) {
      const holder = 1 - waiters[0]!;
      return { holder: run.instances[holder]!, survivor: run.instances[waiters[0]!]!, token, counters: now };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no holder found: lock ${token ?? 'absent'}, waits ${now.map((c) => c.clusterWaits).join(', ')}`,
      );
    }
    await sleep(100);
  }
}

/** Every request's status reads done (asked of `via`); then every group has committed everything. */
async function waitAllDone(rig: FaultRig, run: SingleFlightRun, via: ServiceProcess): Promise<void> {
  const client = new GenstreamClient(via.spec.url, via.spec.url, { apiKey: rig.services.apiKey });
  const states = await rig.failOnCrash(
    Promise.all(run.requests.map((r) => client.waitFinished(r.requestId, 240_000, 250))),
  );
  expect(states.map((status) => status.state)).toEqual(run.requests.map(() => 'done'));
  await rig.failOnCrash(rig.waitAllCaughtUp());
}

/** The case's ContentGenerated records, decoded, and its reconciliation with one shared cache entry. */
async function reconcileRun(rig: FaultRig, run: SingleFlightRun) {
  const after = await rig.evidenceOffsets();
  const evidence = await rig.evidenceBetween(run.offsets, after);
  const records = await readTopicRange(
    rig.probe.kafka,
    TOPICS.ContentGenerated,
    run.offsets.get(TOPICS.ContentGenerated)!,
    after.get(TOPICS.ContentGenerated)!,
  );
  const events: ContentGenerated[] = [];
  for (const record of records) events.push(await rig.probe.codec.decode('ContentGenerated', record.value!));
  const generators = [...new Set(events.filter((e) => e.cacheHit === 'NONE').map((e) => e.requestId))];
  const general = await reconcile(rig.reader, { valid: run.requests, invalid: [] }, evidence);
  const reconciliation = withSharedCache(general, await sharedCacheTally(rig, run, generators));
  return { events, generators, reconciliation, problems: describeProblems(reconciliation) };
}

/**
 * Identical requests share one response cache entry (the cache-updater writes it for the NONE
 * event only): exactly one key, holding the generating request's contentId. Without it, every
 * request of the case misses its cache entry.
 */
async function sharedCacheTally(
  rig: FaultRig,
  run: SingleFlightRun,
  generators: readonly string[],
): Promise<StoreTally> {
  let keys = 0;
  for await (const batch of scanKeys(rig.reader.redis, 'genstream:cache:*')) keys += batch.length;
  const entry = await rig.reader.cacheEntry(run.requests[0]!);
  const right = generators.length === 1 && entry?.value.contentId === contentIdOf(generators[0]!);
  return { missing: right ? [] : run.requests.map((r) => r.requestId), extra: keys - (right ? 1 : 0) };
}

function withSharedCache(result: Reconciliation, cache: StoreTally): Reconciliation {
  const stores = { ...result.stores, cache };
  const tallies = Object.values(stores);
  return {
    ...result,
    stores,
    lost: tallies.reduce((sum, t) => sum + t.missing.length, 0) + result.validReportedFailed.length,
    duplicated: tallies.reduce((sum, t) => sum + t.extra, 0),
  };
}

type Reconciled = Awaited<ReturnType<typeof reconcileRun>>;

/** The contract of identical requests: one event each, one generated (NONE), the rest EXACT hits. */
function expectOneAnswer(run: SingleFlightRun, result: Reconciled): void {
  expect(result.problems).toEqual([]);
  expect(result.reconciliation.deadLetters.map(describeDeadLetter)).toEqual([]);
  expect(result.generators).toHaveLength(1);
  const latest = new Map(result.events.map((event) => [event.requestId, event]));
  expect([...latest.keys()].sort()).toEqual(run.requests.map((r) => r.requestId).sort());
  const hits = [...latest.values()].map((event) => event.cacheHit).sort();
  expect(hits).toEqual(['NONE', ...Array<string>(N - 1).fill('EXACT')].sort());
  expect(new Set([...latest.values()].map((event) => event.output)).size).toBe(1);
}

/** Progress on stderr, as the stream cases write theirs. */
function log(line: string): void {
  process.stderr.write(`[faults] ${line}\n`);
}

function figuresOf(
  name: string,
  result: Reconciled,
  times: { faultSeconds: number; recoverySeconds: number },
  note: string,
): CaseFigures {
  const { reconciliation } = result;
  log(`${name}: ${describeProblems(reconciliation).join('; ') || 'reconciled'}; ${note}`);
  return {
    name,
    published: N,
    inFlight: N,
    ...times,
    lost: reconciliation.lost,
    duplicated: reconciliation.duplicated,
    redelivered: reconciliation.redelivered,
    deadLettered: reconciliation.deadLetters.length,
    failed: 0,
    note,
  };
}

describe('single flight across two generation instances', () => {
  let rig: FaultRig;
  const figures = new FiguresFile(inject('figuresPath'));

  beforeAll(async () => {
    rig = await FaultRig.open(inject('faultStack'), { LLM_LOCAL_LATENCY_MS: String(MODEL_LATENCY_MS) });
    const [port] = await freePorts(1);
    await rig.services.addInstance(GENERATION, port, { timeoutMs: 120_000 });
  }, 300_000);

  afterAll(async () => {
    await rig?.close();
  });

  it(`${N} identical requests over both instances: one model call in all, every request answered`, async () => {
    const run = await startRun(rig, 'flight');
    const sentAt = Date.now();
    await sendSpread(rig, run);
    const { holder, counters: atHold } = await findHolder(rig, run);
    log(`${holder.label} holds the flight; the other instance waits on it`);
    await waitAllDone(rig, run, holder);
    const answeredSeconds = (Date.now() - sentAt) / 1000;
    const counters = (await Promise.all(run.instances.map(countersOf))).map((c, i) =>
      delta(c, run.before[i]!),
    );
    const result = await reconcileRun(rig, run);
    const calls = counters.map((c) => c.modelCalls);
    const note =
      `done in every store ${answeredSeconds.toFixed(1)} s after sending; ` +
      `model calls per instance: ${calls.join(' + ')}; requests handled: ` +
      `${counters.map((c) => c.handled).join(' + ')}; cluster waits while held: ${atHold.map((c) => c.clusterWaits).join(' + ')}`;
    figures.append(
      figuresOf(
        'single flight, 2 generation instances',
        result,
        { faultSeconds: 0, recoverySeconds: 0 },
        note,
      ),
    );
    expectOneAnswer(run, result);
    // Exactly one model call over both instances, made by the lock's holder.
    expect(calls[run.instances.indexOf(holder)]).toBe(1);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(1);
    expect(counters.reduce((sum, c) => sum + c.misses, 0)).toBe(1);
    expect(counters.reduce((sum, c) => sum + c.hits, 0)).toBeGreaterThanOrEqual(N - 1);
    // Both instances took part: each handled requests of its partitions.
    expect(
      counters.every((c) => c.handled > 0),
      `handled: ${counters.map((c) => c.handled).join(', ')}`,
    ).toBe(true);
  });

  it('kill -9 of the instance holding the flight: the other takes it over and answers every request', async () => {
    const run = await startRun(rig, 'takeover');
    await sendSpread(rig, run);
    const { holder, survivor, token } = await findHolder(rig, run);
    log(`${holder.label} holds the flight, ${survivor.label} waits on it: kill -9 ${holder.label}`);
    const killedAt = Date.now();
    holder.signal('SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');
    // Not restarted: the survivor must do it alone. Off the list, so crash watches ignore it.
    await rig.services.removeInstance(GENERATION, holder.spec.instance, 1_000);
    const takenOverAt = await waitTakenOver(rig, run.flightId, token);
    await waitAllDone(rig, run, survivor);
    const doneAt = Date.now();
    const after = delta(await countersOf(survivor), run.before[run.instances.indexOf(survivor)]!);
    const result = await reconcileRun(rig, run);
    const note =
      `model calls: 1 cut off by the kill (uncounted), then ${after.modelCalls} by the survivor; ` +
      `the survivor handled ${after.handled} records; fault: until the survivor took the lock`;
    const times = {
      faultSeconds: (takenOverAt - killedAt) / 1000,
      recoverySeconds: (doneAt - takenOverAt) / 1000,
    };
    figures.append(figuresOf('single flight, kill -9 of its holder', result, times, note));
    expectOneAnswer(run, result);
    // The design's bound: one call per lock holder, a new holder only once the lock expired.
    // The holder's call was cut off before it counted; the survivor made exactly one more.
    expect(after.modelCalls).toBe(1);
    expect(after.misses).toBe(1);
    // It answered every request itself, the dead instance's too (after the session timeout).
    expect(after.handled).toBeGreaterThanOrEqual(N);
    expect(rig.services.instances(GENERATION)).toEqual([survivor]);
  });
});

/** When another token holds the lock (or the result is in): the survivor took the flight over. */
async function waitTakenOver(rig: FaultRig, flightId: string, deadToken: string): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [lock, result] = await Promise.all([
      rig.reader.redis.get(lockKey(flightId)),
      rig.reader.redis.exists(resultKey(flightId)),
    ]);
    if ((lock !== null && lock !== deadToken) || result === 1) return Date.now();
    if (Date.now() > deadline) throw new Error(`flight ${flightId} not taken over: lock ${lock ?? 'absent'}`);
    await sleep(100);
  }
}
