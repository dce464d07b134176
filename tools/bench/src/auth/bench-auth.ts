// What authentication costs a request. Two generation instances on the same servers, one with
// AUTH=on (an API key checked and a rate-limit token taken in Redis per request) and one with
// AUTH=off, answer the same GET /v1/generations/{id} (one Redis GET of its status), in rounds
// that alternate which goes first; N requests per run at concurrency C, keep-alive connections.
import { randomBytes } from 'node:crypto';
import { GenstreamClient, freePorts, startServices, type RunningServices } from '@genstream/launcher';
import { deletePrefixedTopics } from '../kafka-cleanup.js';
import { SpawnGuard } from '../cache/spawn-guard.js';
import { latencyPercentiles, spreadOf, type Spread } from '../stats.js';

export interface AuthBenchOptions {
  readonly requests?: number;
  readonly concurrency?: number;
  readonly rounds?: number;
  readonly serverEnv: Readonly<Record<string, string>>;
  readonly env?: NodeJS.ProcessEnv;
  readonly say?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface AuthSide {
  readonly requestsPerSecond: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
}

export interface AuthBenchResult {
  readonly part: 'auth';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly settings: { readonly requests: number; readonly concurrency: number; readonly rounds: number };
  readonly on: AuthSide;
  readonly off: AuthSide;
}

interface RunFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function benchAuth(options: AuthBenchOptions): Promise<AuthBenchResult> {
  const requests = options.requests ?? 2_000;
  const concurrency = options.concurrency ?? 16;
  const rounds = options.rounds ?? 5;
  const say = options.say ?? (() => {});
  const started = Date.now();
  const topicPrefix = `bench_auth_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}.`;
  const env = {
    ...(options.env ?? process.env),
    ...options.serverEnv,
    TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'warn',
  };
  await using guard = new SpawnGuard();
  const [onPort, offPort] = await freePorts(2);
  const start = (auth: 'on' | 'off', port: number): Promise<RunningServices> =>
    startServices({
      env: { ...env, AUTH: auth },
      only: ['generation'],
      ports: { generation: port },
      onSpawned: (service) => guard.spawned(service),
    });
  try {
    say('starting generation twice: AUTH=on and AUTH=off');
    const on = await start('on', onPort!);
    const off = await start('off', offPort!);
    const client = new GenstreamClient(on.url('generation'), on.url('generation'), { apiKey: on.apiKey });
    const { requestId } = await client.requestGeneration({
      userId: 1,
      title: 'auth bench',
      prompt: 'Say hi.',
      model: 'local',
    });
    const path = `/v1/generations/${requestId}`;
    const sides = { on: [] as RunFigures[], off: [] as RunFigures[] };
    const targets = {
      on: { url: `${on.url('generation')}${path}`, headers: { authorization: `Bearer ${on.apiKey}` } },
      off: { url: `${off.url('generation')}${path}`, headers: {} },
    };
    await measure(targets.on, Math.min(200, requests), concurrency); // warm-up: JIT, connections
    await measure(targets.off, Math.min(200, requests), concurrency);
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        options.signal?.throwIfAborted();
        const figures = await measure(targets[side], requests, concurrency);
        sides[side].push(figures);
        say(
          `round ${round + 1}/${rounds}, AUTH=${side}: ${Math.round(figures.requestsPerSecond)} requests/s, p50 ${figures.p50Ms.toFixed(2)} ms`,
        );
      }
    }
    return {
      part: 'auth',
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      settings: { requests, concurrency, rounds },
      on: summary(sides.on),
      off: summary(sides.off),
    };
  } finally {
    await guard.stopAll();
    await deletePrefixedTopics(options.serverEnv.KAFKA_BROKERS!, topicPrefix, 'bench-auth').catch(
      () => undefined,
    );
  }
}

/** `requests` GETs of `target`, `concurrency` at a time; every answer must be 200. */
async function measure(
  target: { readonly url: string; readonly headers: Record<string, string> },
  requests: number,
  concurrency: number,
): Promise<RunFigures> {
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  const worker = async () => {
    while (next++ < requests) {
      const sent = performance.now();
      const response = await fetch(target.url, { headers: target.headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET ${target.url} answered ${response.status}`);
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - began) / 1000;
  const { p50, p99 } = latencyPercentiles(latencies);
  return { requestsPerSecond: latencies.length / elapsedS, p50Ms: p50, p99Ms: p99 };
}

function summary(runs: readonly RunFigures[]): AuthSide {
  return {
    requestsPerSecond: spreadOf(runs.map((run) => run.requestsPerSecond)),
    p50Ms: spreadOf(runs.map((run) => run.p50Ms)),
    p99Ms: spreadOf(runs.map((run) => run.p99Ms)),
  };
}
