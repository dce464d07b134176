import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { EventMap } from '../codec.js';
import type { KafkaRuntime, RuntimeHealth } from '../kafka-runtime.js';
import { KAFKA_RUNTIME } from './tokens.js';

/** 200 with the report while healthy; 503 with the same report otherwise (for probes and humans). */
@Controller()
export class HealthController {
  constructor(@Inject(KAFKA_RUNTIME) private readonly runtime: KafkaRuntime<EventMap>) {}

  @Get('health')
  health(): RuntimeHealth {
    const report = this.runtime.health();
    if (!report.healthy) throw new ServiceUnavailableException(report);
    return report;
  }
}
