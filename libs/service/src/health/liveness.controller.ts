import { Controller, Get, Inject } from '@nestjs/common';
import { SERVICE_NAME } from '../tokens.js';

/** GET /health/live: 200 while the process runs and serves HTTP, whatever its stores do. */
@Controller()
export class LivenessController {
  constructor(@Inject(SERVICE_NAME) private readonly service: string) {}

  @Get('health/live')
  live(): { live: true; service: string; uptimeSeconds: number } {
    return { live: true, service: this.service, uptimeSeconds: Math.round(process.uptime()) };
  }
}
