import { contentIdOf } from '@genstream/events';
import { isRetriable } from '@genstream/errors';
import type { ContentGenerated, GenerationFailed, GenerationRequested } from '@genstream/events';
import { responseCacheKey } from '@genstream/cache';
import { Semaphore } from '@genstream/llm';
import type { RequestValidator } from './request-validator.js';
import { contentGenerated, generationFailed, sameRequest } from './generation-events.js';
import type {
  AnswerKey,
  AnswerLookup,
  AnswerSource,
  Clock,
  FlightStore,
  FoundAnswer,
  GenerationEventSink,
  GenerationMetricsPort,
  Logger,
  ModelGateway,
  StoredAnswer,
} from './ports.js';
import { systemClock } from './ports.js';
import { SingleFlight, type FlightOptions, type SingleFlightSettings } from './single-flight.js';

/** How one request of a batch ended. */
export type RequestOutcome =
  | { readonly kind: 'generated'; readonly event: ContentGenerated }
  /** Will never succeed as it is: reported with a GenerationFailed event, the record is done. */
  | { readonly kind: 'failed'; readonly event: GenerationFailed }
  /** Failed for now (provider or store down): the record must be read again later. */
  | { readonly kind: 'retry'; readonly error: unknown };

export interface GenerationDeps {
  readonly validator: RequestValidator;
  readonly answers: AnswerLookup;
  readonly flights: FlightStore;
  readonly model: ModelGateway;
  readonly events: GenerationEventSink;
  readonly metrics: GenerationMetricsPort;
  readonly logger: Logger;
  readonly clock?: Clock;
}

export interface GenerationSettings {
  /** Model calls in flight at once in this process (GENERATION_CONCURRENCY). */
  readonly concurrency: number;
  /** Names the reporter in GenerationFailed events. */
  readonly service: string;
  readonly singleFlight: SingleFlightSettings;
}

interface Member {
  readonly index: number;
  readonly request: GenerationRequested;
}

interface AnswerGroup {
  readonly key: AnswerKey;
  /** Requests sharing one answer; the first one generates it when nothing is known. */
  readonly members: Member[];
}

/**
 * Answers a batch of GenerationRequested: invalid requests fail at once; the others are grouped by
 * answer, looked up (response cache and recent flights) in one round trip, and what is still
 * missing is generated once per answer across every instance (SingleFlight). Publishes every
 * ContentGenerated of the batch in one call and every GenerationFailed in another before it
 * returns, so the consumer commits offsets only after the events are in Kafka.
 */
export class GenerationService {
  private readonly limiter: Semaphore;
  private readonly flight: SingleFlight;
  private readonly clock: Clock;

  constructor(
    private readonly deps: GenerationDeps,
    private readonly settings: GenerationSettings,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.limiter = new Semaphore(settings.concurrency);
    this.flight = new SingleFlight(
      deps.flights,
      settings.singleFlight,
      this.clock,
      deps.metrics,
      deps.logger,
    );
  }

  /** The outcome of every request, in order. Throws (nothing published) when the lookup fails. */
  async process(
    requests: readonly GenerationRequested[],
    options: FlightOptions = {},
  ): Promise<RequestOutcome[]> {
    const startedAt = this.clock.now();
    const outcomes: RequestOutcome[] = new Array<RequestOutcome>(requests.length);
    const groups = new Map<string, AnswerGroup>();
    for (const [index, request] of requests.entries()) {
      const violation = this.deps.validator.violationOf(request);
      if (violation) {
        outcomes[index] = this.failure(request, violation);
        continue;
      }
      const key = answerKeyOf(request);
      const group = groups.get(key.flightId);
      if (group) group.members.push({ index, request });
      else groups.set(key.flightId, { key, members: [{ index, request }] });
    }

    const pending = [...groups.values()];
    const known = pending.length === 0 ? [] : await this.deps.answers.lookupMany(pending.map((g) => g.key));
    await Promise.all(
      pending.map((group, i) => this.answerGroup(group, known[i], startedAt, outcomes, options)),
    );
    await this.publish(outcomes);
    return outcomes;
  }

  private async answerGroup(
    group: AnswerGroup,
    known: FoundAnswer | undefined,
    startedAt: number,
    outcomes: RequestOutcome[],
    options: FlightOptions,
  ): Promise<void> {
    const leader = group.members[0]!.request;
    let answer: StoredAnswer;
    let source: AnswerSource;
    try {
      ({ answer, source } =
        known ??
        (await this.flight.run(group.key.flightId, () => this.generate(leader, startedAt), options)));
    } catch (error) {
      for (const { index, request } of group.members) {
        outcomes[index] = isRetriable(error) ? this.retry(request, error) : this.failure(request, error);
      }
      return;
    }
    const servedAt = this.clock.now();
    for (const [position, { index, request }] of group.members.entries()) {
      const event = contentGenerated(request, answer, servedAt, servedAt - startedAt);
      outcomes[index] = { kind: 'generated', event };
      this.deps.metrics.generationLatency((servedAt - startedAt) / 1000, event.cacheHit);
      if (group.key.cacheKey === undefined) continue;
      const memberSource = position === 0 ? source : 'process';
      if (memberSource === 'model' && sameRequest(answer.requestId, request.requestId)) {
        this.deps.metrics.cacheMiss();
      } else {
        this.deps.metrics.cacheHit(memberSource === 'model' ? 'process' : memberSource);
      }
    }
  }

  /** Calls the model for `request`; runs only while holding the flight's lock. */
  private async generate(request: GenerationRequested, startedAt: number): Promise<StoredAnswer> {
    const result = await this.limiter.run(async () => {
      const calledAt = this.clock.now();
      const took = () => (this.clock.now() - calledAt) / 1000;
      try {
        const answer = await this.deps.model.generate({
          model: request.model,
          prompt: request.prompt,
          parameters: request.parameters,
        });
        this.deps.metrics.modelCalled(request.model, 'ok', took());
        return answer;
      } catch (error) {
        this.deps.metrics.modelCalled(request.model, isRetriable(error) ? 'retriable' : 'failed', took());
        throw error;
      }
    });
    const generatedAt = this.clock.now();
    return {
      requestId: request.requestId,
      contentId: contentIdOf(request.requestId),
      output: result.output,
      modelUsed: result.modelUsed,
      generatedAt,
      usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens },
      latencyMs: generatedAt - startedAt,
    };
  }

  private async publish(outcomes: readonly RequestOutcome[]): Promise<void> {
    const generated: ContentGenerated[] = [];
    const failed: GenerationFailed[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'generated') generated.push(outcome.event);
      else if (outcome.kind === 'failed') failed.push(outcome.event);
    }
    await Promise.all([
      generated.length > 0 ? this.deps.events.publishMany('ContentGenerated', generated) : undefined,
      failed.length > 0 ? this.deps.events.publishMany('GenerationFailed', failed) : undefined,
    ]);
  }

  private failure(request: GenerationRequested, error: unknown): RequestOutcome {
    const event = generationFailed(request, error, this.clock.now(), this.settings.service);
    this.deps.logger.warn('generation failed', {
      requestId: request.requestId,
      code: event.reasonCode,
      reason: event.message,
    });
    return { kind: 'failed', event };
  }

  private retry(request: GenerationRequested, error: unknown): RequestOutcome {
    this.deps.logger.warn('generation failed for now; will retry', {
      requestId: request.requestId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return { kind: 'retry', error };
  }
}

/**
 * The answer a request needs. Cacheable requests share answers by response cache key; a BYPASS
 * request shares only with redeliveries of itself (its flight is keyed by its request id), so a
 * redelivered BYPASS request republishes its first answer instead of calling the model again.
 */
export function answerKeyOf(request: GenerationRequested): AnswerKey {
  const cacheKey = responseCacheKey(request);
  return { cacheKey, flightId: cacheKey ?? `request-${request.requestId.toLowerCase()}` };
}
