import type { SchemaObject } from '@nestjs/swagger';
import { CONSUMER_STATES } from '../consumer-health.js';

/** The JSON Schema of HealthReport (health.controller.ts), for the OpenAPI document. */
export const HEALTH_REPORT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['healthy', 'service', 'producer', 'consumers'],
  properties: {
    healthy: { type: 'boolean', description: 'Ready for traffic: Kafka, every consumer and every store.' },
    service: { type: 'string', example: 'metadata-writer' },
    producer: {
      type: 'object',
      required: ['connected'],
      properties: { connected: { type: 'boolean' } },
    },
    consumers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['groupId', 'topics', 'state', 'healthy', 'joins', 'pausedPartitions'],
        properties: {
          groupId: { type: 'string' },
          topics: { type: 'array', items: { type: 'string' } },
          state: { type: 'string', enum: [...CONSUMER_STATES] },
          healthy: { type: 'boolean', description: 'A live member of its group (a rebalance counts).' },
          memberId: { type: 'string', description: 'Absent until it joined.' },
          joins: { type: 'integer', minimum: 0 },
          pausedPartitions: { type: 'integer', minimum: 0, description: 'Paused while a store is down.' },
          lastError: { type: 'string', description: 'Absent when none.' },
        },
      },
    },
    checks: {
      type: 'array',
      description: "The service's own store checks, when it has any.",
      items: {
        type: 'object',
        required: ['name', 'ok', 'latencyMs'],
        properties: {
          name: { type: 'string', example: 'postgres' },
          ok: { type: 'boolean' },
          latencyMs: { type: 'number', minimum: 0 },
          error: { type: 'string', description: 'Why the check failed; absent when it passed.' },
        },
      },
    },
  },
};
