import type { CacheHit, CacheScope } from '@genstream/events';
import type { SchemaObject } from '@nestjs/swagger';
import { MAX_TENANT_CHARS, MAX_TITLE_CHARS, MAX_TOKENS_LIMIT } from '../services/request-validator.js';

// JSON Schemas of the generations API for its OpenAPI document. The body schema is also the list
// of fields requestFromBody accepts, so the document and the parser cannot name different fields.

export const CACHE_SCOPES = ['USER', 'TENANT', 'BYPASS'] as const satisfies readonly CacheScope[];
const CACHE_HITS = ['NONE', 'EXACT', 'SEMANTIC'] as const satisfies readonly CacheHit[];
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, type: [String(schema.type), 'null'] });

/** A schema of an object whose properties are listed, so their names can be read. */
type ObjectSchema = SchemaObject & { readonly properties: Record<string, SchemaObject> };

export const PARAMETERS_SCHEMA: ObjectSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  description: "The model's sampling parameters; null or absent: the provider's default.",
  properties: {
    temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
    maxTokens: nullable({ type: 'integer', minimum: 1, maximum: MAX_TOKENS_LIMIT }),
    topP: nullable({ type: 'number', minimum: 0, maximum: 1, description: 'Greater than 0.' }),
    systemPrompt: nullable({ type: 'string', description: 'At most MAX_PROMPT_CHARS characters.' }),
  },
};

/** POST /v1/generations: a GenerationRequested without what the service adds (time, source). */
export const GENERATION_BODY_SCHEMA: ObjectSchema = {
  type: 'object',
  required: ['userId', 'title', 'prompt', 'model'],
  additionalProperties: false,
  properties: {
    userId: { type: 'integer', format: 'int64', minimum: 1 },
    title: { type: 'string', minLength: 1, maxLength: MAX_TITLE_CHARS, description: 'Not blank.' },
    prompt: {
      type: 'string',
      minLength: 1,
      description: "Not blank; at most the service's MAX_PROMPT_CHARS characters (20,000 by default).",
    },
    model: { type: 'string', description: '`local` (the built-in offline model) or a configured one.' },
    parameters: PARAMETERS_SCHEMA,
    requestId: {
      type: 'string',
      format: 'uuid',
      description: 'Absent: the service makes one. A retried POST with the same id is the same request.',
    },
    cacheScope: { type: 'string', enum: [...CACHE_SCOPES], default: 'USER' },
    tenant: nullable({ type: 'string', minLength: 1, maxLength: MAX_TENANT_CHARS }),
    correlationId: nullable({ type: 'string', description: 'Absent: the X-Correlation-Id header.' }),
  },
  example: {
    userId: 42,
    title: 'Kettle',
    prompt: 'Describe a glass kettle in two sentences.',
    model: 'local',
  },
};

export const ACCEPTED_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['requestId', 'status', 'statusUrl'],
  properties: {
    requestId: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['accepted'] },
    statusUrl: { type: 'string', example: '/v1/generations/8d0b0c3e-6d0c-4f7a-9d6e-0c1f5d2b9a10' },
  },
};

export const STATUS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['requestId', 'state'],
  description: 'contentId, output, modelUsed, cacheHit and generatedAt once done; error once failed.',
  properties: {
    requestId: { type: 'string', format: 'uuid' },
    state: { type: 'string', enum: ['accepted', 'done', 'failed'] },
    contentId: { type: 'string', format: 'uuid' },
    output: { type: 'string' },
    modelUsed: { type: 'string' },
    cacheHit: { type: 'string', enum: [...CACHE_HITS] },
    generatedAt: { type: 'integer', format: 'int64', description: 'Milliseconds since the epoch.' },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', example: 'DEPENDENCY_TIMEOUT' },
        message: { type: 'string' },
      },
    },
  },
};
