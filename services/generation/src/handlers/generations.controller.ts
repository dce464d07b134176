import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type {
  AcceptedGeneration,
  GenerationRequests,
  GenerationStatusView,
} from '../services/generation-requests.service.js';
import { GENERATION_REQUESTS } from '../tokens.js';

const MAX_CORRELATION_ID_CHARS = 200;

/** POST /v1/generations and GET /v1/generations/{requestId}; errors become JSON by the global filter. */
@Controller('v1/generations')
export class GenerationsController {
  constructor(@Inject(GENERATION_REQUESTS) private readonly requests: GenerationRequests) {}

  @Post()
  @HttpCode(202)
  create(
    @Body() body: unknown,
    @Headers('x-correlation-id') correlationId: string | undefined,
  ): Promise<AcceptedGeneration> {
    const correlation = correlationId?.trim().slice(0, MAX_CORRELATION_ID_CHARS) || null;
    return this.requests.accept(body, correlation);
  }

  @Get(':requestId')
  status(@Param('requestId') requestId: string): Promise<GenerationStatusView> {
    return this.requests.status(requestId);
  }
}
