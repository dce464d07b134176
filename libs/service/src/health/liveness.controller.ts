import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERVICE_NAME } from '../tokens.js';

/** GET /health/live: 200 while the process runs and serves HTTP, whatever its stores do. */
@ApiTags('operations')
@Controller()
export class LivenessController {
  constructor(@Inject(SERVICE_NAME) private readonly service: string) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: 200 while the process serves HTTP, whatever its stores do' })
  @ApiOkResponse({
    description: 'The process is alive',
    schema: {
      type: 'object',
      required: ['live', 'service', 'uptimeSeconds'],
      properties: {
        live: { type: 'boolean', enum: [true] },
        service: { type: 'string', example: 'metadata-writer' },
        uptimeSeconds: { type: 'integer', minimum: 0 },
      },
    },
  })
  live(): { live: true; service: string; uptimeSeconds: number } {
    return { live: true, service: this.service, uptimeSeconds: Math.round(process.uptime()) };
  }
}
