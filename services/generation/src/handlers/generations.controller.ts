import { randomUUID } from 'node:crypto';
import {
  AUTH_ERRORS,
  AuthGuard,
  Caller,
  RequireScope,
  tenantBoundary,
  type Principal,
} from '@genstream/auth';
import { ApiErrors, httpError } from '@genstream/service';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  GenerationRequests,
  type AcceptedGeneration,
  type GenerationStatusView,
} from '../services/generation-requests.service.js';
import { RequestValidator } from '../services/request-validator.js';
import { requestFromBody } from './generation-body.js';
import { ACCEPTED_SCHEMA, GENERATION_BODY_SCHEMA, STATUS_SCHEMA } from './generations.openapi.js';

const MAX_CORRELATION_ID_CHARS = 200;

/**
 * POST /v1/generations and GET /v1/generations/{requestId}. The body is read and checked here,
 * with the consumer's own rules, so the use case takes a typed request; errors become JSON by the
 * global filter.
 */
@ApiTags('generations')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/generations')
export class GenerationsController {
  constructor(
    @Inject(GenerationRequests) private readonly requests: GenerationRequests,
    @Inject(RequestValidator) private readonly validator: RequestValidator,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireScope('generate')
  @ApiOperation({
    summary: 'Request a generation',
    description:
      'Publishes a GenerationRequested to Kafka; the answer arrives asynchronously (poll statusUrl).',
  })
  @ApiBody({ schema: GENERATION_BODY_SCHEMA, required: true })
  @ApiHeader({
    name: 'X-Correlation-Id',
    required: false,
    description: 'Used when the body has no correlationId.',
  })
  @ApiAcceptedResponse({ description: 'Published; not generated yet', schema: ACCEPTED_SCHEMA })
  @ApiErrors({
    400: 'BAD_JSON: the body is not valid JSON',
    ...AUTH_ERRORS,
    403: 'SCOPE_MISSING (the credential lacks the generate scope) or TENANT_MISMATCH (the body names another tenant than the credential)',
    413: 'BODY_TOO_LARGE',
    422: 'CONTRACT_VIOLATION (details.problems lists every {path, message}) or MODEL_UNKNOWN',
  })
  async create(
    @Body() body: unknown,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Caller() caller: Principal | undefined,
  ): Promise<AcceptedGeneration> {
    const correlation = correlationId?.trim().slice(0, MAX_CORRELATION_ID_CHARS) || null;
    const tenant = tenantBoundary(caller);
    const claimed = (body as { tenant?: unknown } | null)?.tenant;
    if (tenant !== undefined && claimed !== undefined && claimed !== null && claimed !== tenant)
      throw httpError(
        403,
        'TENANT_MISMATCH',
        'the body names another tenant than your credential; leave tenant out',
      );
    const request = requestFromBody(
      body,
      { newRequestId: randomUUID, now: Date.now(), correlationId: correlation, tenant },
      this.validator,
    );
    return this.requests.accept(request);
  }

  @Get(':requestId')
  @RequireScope('read')
  @ApiOperation({ summary: 'Where a generation request stands: accepted, done (with the output) or failed' })
  @ApiParam({ name: 'requestId', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ description: 'The request is known', schema: STATUS_SCHEMA })
  @ApiErrors({
    400: 'REQUEST_ID_INVALID: not a UUID',
    ...AUTH_ERRORS,
    403: 'SCOPE_MISSING: the credential lacks the read scope',
    404: "REQUEST_NOT_FOUND (another tenant's requests are unknown too)",
  })
  status(
    @Param('requestId') requestId: string,
    @Caller() caller: Principal | undefined,
  ): Promise<GenerationStatusView> {
    return this.requests.status(requestId, tenantBoundary(caller));
  }
}
