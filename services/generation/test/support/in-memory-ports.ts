import type { LlmRequest, LlmResult } from '@genstream/llm';
import type {
  AnswerKey,
  AnswerLookup,
  FlightClaim,
  FlightStore,
  FoundAnswer,
  GenerationEventSink,
  GenerationMetricsPort,
  ModelGateway,
  StoredAnswer,
} from '../../src/services/ports.js';

// In-memory twins of GenerationService's ports, for unit tests.

/** Cache and flight results in maps, locks with expiry; counts round trips. */
export class InMemoryAnswerStore implements AnswerLookup, FlightStore {
  readonly cache = new Map<string, StoredAnswer>();
  readonly flights = new Map<string, StoredAnswer>();
  readonly locks = new Map<string, { token: string; expiresAt: number }>();
  lookups = 0;
  claims = 0;

  async lookupMany(keys: readonly AnswerKey[]): Promise<(FoundAnswer | undefined)[]> {
    this.lookups++;
    return keys.map(({ flightId, cacheKey }) => {
      const flight = this.flights.get(flightId);
      if (flight) return { answer: flight, source: 'flight' };
      const cached = cacheKey === undefined ? undefined : this.cache.get(cacheKey);
      return cached ? { answer: cached, source: 'cache' } : undefined;
    });
  }

  async claim(flightId: string, token: string, lockTtlMs: number): Promise<FlightClaim> {
    this.claims++;
    const answer = this.flights.get(flightId);
    if (answer) return { kind: 'answered', answer };
    const lock = this.locks.get(flightId);
    if (lock && lock.expiresAt > Date.now()) return { kind: 'busy' };
    this.locks.set(flightId, { token, expiresAt: Date.now() + lockTtlMs });
    return { kind: 'acquired' };
  }

  async renew(flightId: string, token: string, lockTtlMs: number): Promise<boolean> {
    const lock = this.locks.get(flightId);
    if (lock?.token !== token) return false;
    lock.expiresAt = Date.now() + lockTtlMs;
    return true;
  }

  async complete(flightId: string, token: string, answer: StoredAnswer): Promise<void> {
    this.flights.set(flightId, answer);
    await this.release(flightId, token);
  }

  async release(flightId: string, token: string): Promise<void> {
    if (this.locks.get(flightId)?.token === token) this.locks.delete(flightId);
  }
}

/** Answers like a model after `latencyMs`, counting calls; `fail` makes calls reject. */
export class FakeModel implements ModelGateway {
  readonly calls: LlmRequest[] = [];
  fail: ((request: LlmRequest) => Error | undefined) | undefined;

  constructor(
    private readonly latencyMs = 0,
    private readonly models: readonly string[] = ['local'],
  ) {}

  knows(model: string): boolean {
    return this.models.includes(model);
  }

  async generate(request: LlmRequest): Promise<LlmResult> {
    this.calls.push(request);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const failure = this.fail?.(request);
    if (failure !== undefined) throw failure;
    return {
      output: `answer to: ${request.prompt}`,
      modelUsed: `${request.model}-v1`,
      usage: { promptTokens: 3, completionTokens: 4 },
    };
  }
}

/** Records each publishMany call. */
export class RecordingSink implements GenerationEventSink {
  readonly calls: { name: string; events: unknown[] }[] = [];

  async publishMany(name: string, events: readonly unknown[]): Promise<void> {
    this.calls.push({ name, events: [...events] });
  }

  eventsOf<T>(name: string): T[] {
    return this.calls.filter((call) => call.name === name).flatMap((call) => call.events as T[]);
  }
}

export class CountingMetrics implements GenerationMetricsPort {
  readonly counts = new Map<string, number>();
  /** Each model call's duration in seconds, in call order. */
  readonly modelCallSeconds: number[] = [];

  modelCalled(model: string, outcome: string, seconds: number): void {
    this.bump(`model:${model}:${outcome}`);
    this.modelCallSeconds.push(seconds);
  }
  cacheHit(source: string): void {
    this.bump(`hit:${source}`);
  }
  cacheMiss(): void {
    this.bump('miss');
  }
  singleFlightWait(scope: string): void {
    this.bump(`wait:${scope}`);
  }
  generationLatency(_seconds: number, cacheHit: string): void {
    this.bump(`latency:${cacheHit}`);
  }

  of(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  private bump(name: string): void {
    this.counts.set(name, this.of(name) + 1);
  }
}
