import { PermanentError } from '@genstream/errors';
import { isUuid, type CacheHit, type GenerationRequested } from '@genstream/events';
import { EVENT_PUBLISHER } from '@genstream/kafka';
import { SERVICE_LOGGER } from '@genstream/service';
import { Inject, Injectable } from '@nestjs/common';
import { StatusRepository } from '../repositories/status.repository.js';
import type { Logger, RequestPublisher, StatusStore } from './ports.js';

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

/** The HTTP API's use cases: accept a generation request, tell where one stands. */
@Injectable()
export class GenerationRequests {
  constructor(
    @Inject(EVENT_PUBLISHER) private readonly publisher: RequestPublisher,
    @Inject(StatusRepository) private readonly statuses: StatusStore,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Publishes a GenerationRequested the HTTP entry point built and checked, and records it as
   * accepted. Publishing comes first: a status must never promise a request Kafka does not have.
   * A client retrying with the same requestId publishes the same request again, which the
   * consumer answers with the same contentId (and the flight's result): retries are idempotent.
   */
  async accept(request: GenerationRequested): Promise<AcceptedGeneration> {
    await this.publisher.publish('GenerationRequested', request);
    try {
      await this.statuses.markAccepted(request.requestId, request.tenant);
    } catch (error) {
      // The request is in Kafka and will be answered; only the early `accepted` status is missing.
      this.logger.warn('accepted status not recorded', {
        requestId: request.requestId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.logger.info('generation requested', { requestId: request.requestId, model: request.model });
    return {
      requestId: request.requestId,
      status: 'accepted',
      statusUrl: `/v1/generations/${request.requestId}`,
    };
  }

  /**
   * Where a request stands. With `tenant` (the caller's, from its credential), another tenant's
   * request is answered as unknown, so its existence is not revealed either.
   */
  async status(requestId: string, tenant?: string): Promise<GenerationStatusView> {
    if (!isUuid(requestId)) throw new RequestIdInvalidError(`"${requestId}" is not a request id (a UUID)`);
    const id = requestId.toLowerCase();
    const status = await this.statuses.status(id);
    if (status === undefined || (tenant !== undefined && (status.tenant ?? null) !== tenant))
      throw new RequestNotFoundError(`no generation request ${id} is known`);
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
