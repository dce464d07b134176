import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type SchemaObject } from '@nestjs/swagger';

/** The name of the error answer's schema in every service's document (components.schemas). */
export const ERROR_SCHEMA_NAME = 'Error';

/** The JSON Schema of ErrorBody (http/error-response.ts): what every 4xx and 5xx answer holds. */
export const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: {
          type: 'string',
          description:
            'A stable code, e.g. CONTRACT_VIOLATION or NOT_FOUND: branch on it, not on the message.',
        },
        message: { type: 'string', description: 'For humans; its wording may change.' },
        details: {
          type: 'object',
          additionalProperties: true,
          description: 'Machine-readable specifics of a 4xx (e.g. the invalid field paths); never on a 5xx.',
        },
      },
    },
  },
};

const ERROR_REF = { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` };

/**
 * Documents a route's 4xx answers, each `{ status: 'when, with which code' }`, all with the Error
 * schema. 5xx answers are the document's `default` response on every route (openapi-document.ts).
 */
export function ApiErrors(responses: Readonly<Record<number, string>>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: ERROR_REF }),
    ),
  );
}
