import type { SchemaObject } from '@nestjs/swagger';
import { DEFAULT_K, MAX_K, MAX_QUERY_CHARS } from './search-query.js';

// JSON Schemas of GET /v1/search for its OpenAPI document, from the same limits the parser checks.

export const Q_SCHEMA: SchemaObject = { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS };
export const K_SCHEMA: SchemaObject = { type: 'integer', minimum: 1, maximum: MAX_K, default: DEFAULT_K };
export const USER_ID_SCHEMA: SchemaObject = { type: 'integer', format: 'int64' };

const nullable = (type: string, extra: SchemaObject = {}): SchemaObject => ({
  ...extra,
  type: [type, 'null'],
});

export const SEARCH_ANSWER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['query', 'results'],
  properties: {
    query: { type: 'string' },
    results: {
      type: 'array',
      description: 'Most similar first.',
      items: {
        type: 'object',
        required: ['contentId', 'score', 'title', 'output', 'userId', 'model', 'generatedAt'],
        properties: {
          contentId: { type: 'string', format: 'uuid' },
          score: { type: 'number', minimum: 0, maximum: 1, description: 'Cosine similarity mapped to 0..1.' },
          title: nullable('string'),
          output: nullable('string'),
          userId: nullable('integer', { format: 'int64' }),
          model: nullable('string', { description: 'The model that generated the content.' }),
          generatedAt: nullable('integer', { format: 'int64', description: 'Milliseconds since the epoch.' }),
        },
      },
    },
  },
};
