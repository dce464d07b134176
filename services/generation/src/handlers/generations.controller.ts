import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  GenerationRequests,
  type AcceptedGeneration,
  type GenerationStatusView,
} from '../services/generation-requests.service.js';
import { RequestValidator } from '../services/request-validator.js';
import { requestFromBody } from './generation-body.js';

const MAX_CORRELATION_ID_CHARS = 200;

/**
 * POST /v1/generations and GET /v1/generations/{requestId}. The body is read and checked here,
 * with the consumer's own rules, so the use case takes a typed request; errors become JSON by the
 * global filter.
 */
@Controller('v1/generations')
export class GenerationsController {
  constructor(
    @Inject(GenerationRequests) private readonly requests: GenerationRequests,
    @Inject(RequestValidator) private readonly validator: RequestValidator,
  ) {}

  @Post()
  @HttpCode(202)
  async create(
    @Body() body: unknown,
    @Headers('x-correlation-id') correlationId: string | undefined,
  ): Promise<AcceptedGeneration> {
    const correlation = correlationId?.trim().slice(0, MAX_CORRELATION_ID_CHARS) || null;
    const request = requestFromBody(
      body,
      { newRequestId: randomUUID, now: Date.now(), correlationId: correlation },
      this.validator,
    );
    return this.requests.accept(request);
  }

  @Get(':requestId')
  status(@Param('requestId') requestId: string): Promise<GenerationStatusView> {
    return this.requests.status(requestId);
  }
}
