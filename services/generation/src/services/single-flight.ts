import { randomUUID } from 'node:crypto';
import { DependencyTimeoutError } from '@genstream/errors';
import type { Clock, FlightStore, GenerationMetricsPort, Logger, StoredAnswer } from './ports.js';

export interface SingleFlightSettings {
  /** Life of the lock without renewal: how soon waiters take over from a holder that died. */
  readonly lockTtlMs: number;
  /** How long a finished flight's result stays readable for waiters and redeliveries. */
  readonly resultTtlMs: number;
  /** A waiter gives up (retriable) after this long, in case a holder keeps its lock for ever. */
  readonly maxWaitMs: number;
  /** First and longest pause between a waiter's polls (doubling, with jitter). */
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
}

export const DEFAULT_SINGLE_FLIGHT: SingleFlightSettings = {
  lockTtlMs: 10_000,
  resultTtlMs: 120_000,
  maxWaitMs: 300_000,
  pollMinMs: 20,
  pollMaxMs: 500,
};

/** How a flight ended for one caller. */
export interface FlightResult {
  readonly answer: StoredAnswer;
  /** model: this caller generated it; flight: another instance did; process: a concurrent call here. */
  readonly source: 'model' | 'flight' | 'process';
}

export interface FlightOptions {
  /** False once the consumer is shutting down: a waiter then stops with a retriable error. */
  readonly isRunning?: () => boolean;
}

/**
 * At most one generation per answer at a time, across every instance: calls with the same flight
 * id in this process share one promise; across processes a Redis lock decides who generates and
 * the others poll until the holder's result appears. When the lock disappears without a result
 * (the holder failed or died), a waiter's next claim takes the lock and it generates itself.
 */
export class SingleFlight {
  private readonly inProcess = new Map<string, Promise<FlightResult>>();

  constructor(
    private readonly store: FlightStore,
    private readonly settings: SingleFlightSettings,
    private readonly clock: Clock,
    private readonly metrics: GenerationMetricsPort,
    private readonly logger: Logger,
  ) {}

  /** `produce` runs only while holding the flight's lock, and at most once per flight at a time. */
  async run(
    flightId: string,
    produce: () => Promise<StoredAnswer>,
    options: FlightOptions = {},
  ): Promise<FlightResult> {
    const running = this.inProcess.get(flightId);
    if (running) {
      this.metrics.singleFlightWait('process');
      const { answer } = await running;
      return { answer, source: 'process' };
    }
    const flight = this.fly(flightId, produce, options).finally(() => this.inProcess.delete(flightId));
    this.inProcess.set(flightId, flight);
    return flight;
  }

  private async fly(
    flightId: string,
    produce: () => Promise<StoredAnswer>,
    options: FlightOptions,
  ): Promise<FlightResult> {
    const token = randomUUID();
    const started = this.clock.now();
    let pauseMs = this.settings.pollMinMs;
    let waiting = false;
    for (;;) {
      const claim = await this.store.claim(flightId, token, this.settings.lockTtlMs);
      switch (claim.kind) {
        case 'answered':
          return { answer: claim.answer, source: 'flight' };
        case 'acquired':
          return { answer: await this.produceHolding(flightId, token, produce), source: 'model' };
        case 'busy':
          break;
      }
      if (!waiting) {
        waiting = true;
        this.metrics.singleFlightWait('cluster');
      }
      const waitedMs = this.clock.now() - started;
      if (waitedMs >= this.settings.maxWaitMs) {
        throw new DependencyTimeoutError(
          `waited ${waitedMs} ms for another instance generating the same answer (flight ${flightId})`,
          { details: { flightId } },
        );
      }
      if (options.isRunning && !options.isRunning()) {
        throw new DependencyTimeoutError(`shutting down while waiting for flight ${flightId}`, {
          details: { flightId },
        });
      }
      // Full jitter keeps waiters of one flight from polling in lockstep.
      await this.clock.sleep(Math.max(1, Math.round(pauseMs * (0.5 + Math.random() / 2))));
      pauseMs = Math.min(pauseMs * 2, this.settings.pollMaxMs);
    }
  }

  private async produceHolding(
    flightId: string,
    token: string,
    produce: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer> {
    const { lockTtlMs, resultTtlMs } = this.settings;
    // A short lock kept alive while the model works: a holder that dies frees it within lockTtlMs.
    const renewal = setInterval(
      () => {
        this.store.renew(flightId, token, lockTtlMs).then(
          (held) => {
            if (!held) this.logger.warn('single-flight lock lost while generating', { flightId });
          },
          (error: unknown) =>
            this.logger.warn('single-flight lock renewal failed', { flightId, error: text(error) }),
        );
      },
      Math.max(1, Math.floor(lockTtlMs / 3)),
    );
    renewal.unref();
    let answer: StoredAnswer;
    try {
      answer = await produce();
    } catch (error) {
      clearInterval(renewal);
      await this.store.release(flightId, token).catch((releaseError: unknown) => {
        // The lock expires on its own; waiters take over a little later.
        this.logger.warn('single-flight lock release failed', { flightId, error: text(releaseError) });
      });
      throw error;
    }
    clearInterval(renewal);
    try {
      await this.store.complete(flightId, token, answer, resultTtlMs);
    } catch (error) {
      // The answer is good and is published anyway; waiters elsewhere find no result, take the
      // lock once it expires and generate again: slower, never wrong.
      this.logger.warn('single-flight result not stored', { flightId, error: text(error) });
    }
    return answer;
  }
}

function text(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
