import type { RequestStatus } from '@genstream/cache';
import type { EventInputTypes, TokenUsage } from '@genstream/events';
import type { EventPublisher, Logger } from '@genstream/kafka';
import type { LlmRequest, LlmResult } from '@genstream/llm';

// What GenerationService needs from the outside world. Repositories implement the store ports
// (they alone import ioredis); unit tests implement them in memory.

/**
 * An answer already generated, for a response cache entry or a flight result. `requestId` and
 * `contentId` name the generation that produced it.
 */
export interface StoredAnswer {
  readonly requestId: string;
  readonly contentId: string;
  readonly output: string;
  readonly modelUsed: string;
  /** Epoch milliseconds. */
  readonly generatedAt: number;
  readonly usage: TokenUsage;
  /** How long the original generation took; null when the store does not say (cache entries). */
  readonly latencyMs: number | null;
}

/**
 * Identifies the answer a request needs: requests with equal ids may share one. For cacheable
 * requests it is the response cache key; BYPASS requests share only with their own redeliveries.
 */
export interface AnswerKey {
  /** Names the flight (lock and result) of this answer. */
  readonly flightId: string;
  /** The response cache key (responseCacheKey); undefined for BYPASS requests. */
  readonly cacheKey: string | undefined;
}

/** An answer found by a lookup, and where: the response cache or a recent flight's result. */
export interface FoundAnswer {
  readonly answer: StoredAnswer;
  readonly source: 'cache' | 'flight';
}

/** Reads answers already known, response cache and finished flights, for a whole batch. */
export interface AnswerLookup {
  /** One entry per key, in order; undefined where nothing is known. ONE round trip. */
  lookupMany(keys: readonly AnswerKey[]): Promise<(FoundAnswer | undefined)[]>;
}

export type FlightClaim =
  /** The flight already has its result. */
  | { readonly kind: 'answered'; readonly answer: StoredAnswer }
  /** The caller now holds the lock and must generate, then complete or release. */
  | { readonly kind: 'acquired' }
  /** Someone else holds the lock: wait and claim again. */
  | { readonly kind: 'busy' };

/** Single flight across instances: a lock per flight and the flight's result. */
export interface FlightStore {
  /** Atomically: the result if there is one, else the lock if it is free, else busy. */
  claim(flightId: string, token: string, lockTtlMs: number): Promise<FlightClaim>;
  /** Extends the lock while `token` still holds it; false when it was lost. */
  renew(flightId: string, token: string, lockTtlMs: number): Promise<boolean>;
  /** Stores the result for `resultTtlMs` and releases the lock (if `token` still holds it). */
  complete(flightId: string, token: string, answer: StoredAnswer, resultTtlMs: number): Promise<void>;
  /** Releases the lock if `token` still holds it (compare and delete). */
  release(flightId: string, token: string): Promise<void>;
}

/** The model side: ModelRouter fits. */
export interface ModelGateway {
  knows(model: string): boolean;
  generate(request: LlmRequest): Promise<LlmResult>;
}

/** Where the batch's events go: the Kafka runtime's publisher fits. */
export type GenerationEventSink = Pick<EventPublisher<EventInputTypes>, 'publishMany'>;

/** How an answer was obtained, for metrics. */
export type AnswerSource = 'model' | 'cache' | 'flight' | 'process';

export interface GenerationMetricsPort {
  /** One model call, its outcome and how long it took (seconds, the limiter's wait excluded). */
  modelCalled(model: string, outcome: 'ok' | 'retriable' | 'failed', seconds: number): void;
  /** A request served without calling the model, and from where. */
  cacheHit(source: Exclude<AnswerSource, 'model'>): void;
  /** A cacheable request that nothing known could answer. */
  cacheMiss(): void;
  /** A request that waited for a flight another caller was running. */
  singleFlightWait(scope: 'process' | 'cluster'): void;
  /** From picking the request up to having its output. */
  generationLatency(seconds: number, cacheHit: string): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type { Logger };

/** Request statuses for the HTTP API (StatusRepository). */
export interface StatusStore {
  markAccepted(requestId: string, tenant: string | null): Promise<boolean>;
  status(requestId: string): Promise<RequestStatus | undefined>;
}

/** Where POST /v1/generations publishes: the Kafka runtime's publisher fits. */
export type RequestPublisher = Pick<EventPublisher<EventInputTypes>, 'publish'>;
