import { isUuid } from '@genstream/events';
import { randomUUID } from 'node:crypto';
import { PermanentError } from '@genstream/errors';
import type { CacheHit } from '@genstream/events';
import { requestFromBody } from '../http/generation-body.js';
import type { RequestValidator } from '../validation/request-validator.js';
import { systemClock, type Clock, type Logger, type RequestPublisher, type StatusStore } from './ports.js';

export class RequestNotFoundError extends PermanentError {
  readonly code = 'REQUEST_NOT_FOUND';
}

export class RequestIdInvalidError extends PermanentError {
  readonly code = 'REQUEST_ID_INVALID';
}

export interface AcceptedGeneration {
  readonly requestId: string;
  readonly status: 'accepted';
  readonly statusUrl: string;
}

export interface GenerationStatusView {
  readonly requestId: string;
  readonly state: 'accepted' | 'done' | 'failed';
  readonly contentId?: string;
  readonly output?: string;
  readonly modelUsed?: string;
  readonly cacheHit?: CacheHit;
  /** Epoch milliseconds, as in the events. */
  readonly generatedAt?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface GenerationRequestsDeps {
  readonly validator: RequestValidator;
  readonly publisher: RequestPublisher;
  readonly statuses: StatusStore;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly newRequestId?: () => string;
}

/** The HTTP API's use cases: accept a generation request, tell where one stands. */
export class GenerationRequests {
  private readonly clock: Clock;
  private readonly newRequestId: () => string;

  constructor(private readonly deps: GenerationRequestsDeps) {
    this.clock = deps.clock ?? systemClock;
    this.newRequestId = deps.newRequestId ?? randomUUID;
  }

  /**
   * Validates the body with the consumer's rules, publishes the GenerationRequested and records
   * it as accepted. Publishing comes first: a status must never promise a request Kafka does not
   * have. A client retrying with the same requestId publishes the same request again, which the
   * consumer answers with the same contentId (and the flight's result): retries are idempotent.
   */
  async accept(body: unknown, correlationId: string | null = null): Promise<AcceptedGeneration> {
    const request = requestFromBody(
      body,
      { newRequestId: this.newRequestId, now: this.clock.now(), correlationId },
      this.deps.validator,
    );
    await this.deps.publisher.publish('GenerationRequested', request);
    try {
      await this.deps.statuses.markAccepted(request.requestId);
    } catch (error) {
      // The request is in Kafka and will be answered; only the early `accepted` status is missing.
      this.deps.logger.warn('accepted status not recorded', {
        requestId: request.requestId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.deps.logger.info('generation requested', { requestId: request.requestId, model: request.model });
    return {
      requestId: request.requestId,
      status: 'accepted',
      statusUrl: `/v1/generations/${request.requestId}`,
    };
  }

  async status(requestId: string): Promise<GenerationStatusView> {
    if (!isUuid(requestId)) throw new RequestIdInvalidError(`"${requestId}" is not a request id (a UUID)`);
    const id = requestId.toLowerCase();
    const status = await this.deps.statuses.status(id);
    if (status === undefined) throw new RequestNotFoundError(`no generation request ${id} is known`);
    switch (status.state) {
      case 'accepted':
        return { requestId: id, state: 'accepted' };
      case 'done':
        return {
          requestId: id,
          state: 'done',
          contentId: status.contentId,
          output: status.output,
          modelUsed: status.modelUsed,
          cacheHit: status.cacheHit,
          generatedAt: status.generatedAt,
        };
      case 'failed':
        return { requestId: id, state: 'failed', error: { code: status.code, message: status.message } };
    }
  }
}
