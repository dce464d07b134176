import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { EventMap } from '../codec.js';
import type { KafkaRuntime, RuntimeHealth } from '../kafka-runtime.js';
import { HEALTH_REPORT_SCHEMA } from './health.openapi.js';
import type { CheckResult, ReadinessChecks } from './readiness.js';
import { KAFKA_RUNTIME, READINESS_CHECKS } from './tokens.js';

export interface HealthReport extends RuntimeHealth {
  /** The service's own readiness checks (its stores), when it registered any. */
  readonly checks?: readonly CheckResult[];
}

/** 200 with the report while healthy; 503 with the same report otherwise (for probes and humans). */
@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(KAFKA_RUNTIME) private readonly runtime: KafkaRuntime<EventMap>,
    @Optional() @Inject(READINESS_CHECKS) private readonly readiness?: ReadinessChecks,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Readiness: Kafka, every consumer and every store of this service' })
  @ApiOkResponse({ description: 'Ready', schema: HEALTH_REPORT_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'Not ready; the same report says why',
    schema: HEALTH_REPORT_SCHEMA,
  })
  async health(
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<HealthReport> {
    const runtime = this.runtime.health();
    const stores = await this.readiness?.run();
    const report: HealthReport =
      stores === undefined
        ? runtime
        : { ...runtime, healthy: runtime.healthy && stores.healthy, checks: stores.checks };
    if (!report.healthy) response.status(503);
    return report;
  }
}
