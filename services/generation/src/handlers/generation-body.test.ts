import { ContractViolationError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { RequestValidator } from '../services/request-validator.js';
import { requestFromBody } from './generation-body.js';
import { GENERATION_BODY_SCHEMA } from './generations.openapi.js';

const validator = new RequestValidator({ maxPromptChars: 50, knowsModel: (model) => model === 'local' });
const context = {
  newRequestId: () => '5E0E7F7C-4C9E-4E0B-9F5B-6D1B1B8C2A10',
  now: 1_700_000_000_000,
  correlationId: null,
};

function problemsOf(body: unknown): unknown {
  try {
    requestFromBody(body, context, validator);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractViolationError);
    return (error as ContractViolationError).details.problems;
  }
  throw new Error('expected a ContractViolationError');
}

describe('requestFromBody', () => {
  it('builds the GenerationRequested of a minimal body, with a new lowercase id', () => {
    expect(
      requestFromBody({ userId: 7, title: 'T', prompt: 'Hello', model: 'local' }, context, validator),
    ).toEqual({
      requestId: '5e0e7f7c-4c9e-4e0b-9f5b-6d1b1b8c2a10',
      userId: 7,
      title: 'T',
      prompt: 'Hello',
      model: 'local',
      requestedAt: 1_700_000_000_000,
      parameters: { temperature: null, maxTokens: null, topP: null, systemPrompt: null },
      tenant: null,
      cacheScope: 'USER',
      correlationId: null,
      causationId: null,
      source: 'http-api',
    });
  });

  it('keeps what the client gave: its request id, parameters, scope, tenant, correlation id', () => {
    const request = requestFromBody(
      {
        userId: 7,
        title: 'T',
        prompt: 'Hello',
        model: 'local',
        requestId: '0b5c8f0e-3f5a-4d8e-9a57-2f1f0c3b7d11',
        parameters: { temperature: 0.2, maxTokens: 64, topP: null, systemPrompt: 'Be brief.' },
        cacheScope: 'TENANT',
        tenant: 'acme',
      },
      { ...context, correlationId: 'trace-1' },
      validator,
    );
    expect(request).toMatchObject({
      requestId: '0b5c8f0e-3f5a-4d8e-9a57-2f1f0c3b7d11',
      parameters: { temperature: 0.2, maxTokens: 64, topP: null, systemPrompt: 'Be brief.' },
      cacheScope: 'TENANT',
      tenant: 'acme',
      correlationId: 'trace-1',
    });
  });

  it('lists wrong types, missing and unknown fields, and the validator problems together', () => {
    expect(
      problemsOf({
        userId: '7',
        title: 3,
        prompt: '   ',
        parameters: { temperature: 'hot', topK: 3 },
        cacheScope: 'EVERYONE',
        requestId: 'abc',
        colour: 'blue',
      }),
    ).toEqual([
      { path: 'colour', message: 'is not a known field' },
      { path: 'parameters.topK', message: 'is not a known field' },
      { path: 'parameters.temperature', message: 'must be a number or null' },
      { path: 'userId', message: 'must be an integer' },
      { path: 'title', message: 'must be a string' },
      { path: 'model', message: 'is required' },
      { path: 'cacheScope', message: 'must be one of USER, TENANT, BYPASS' },
      { path: 'requestId', message: 'must be a UUID' },
      { path: 'prompt', message: 'must not be empty' },
    ]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'text', 3, undefined]) {
      expect(problemsOf(body)).toEqual([{ path: '', message: 'the body must be a JSON object' }]);
    }
  });

  it('applies the same content rules as the consumer: unknown model, prompt too long', () => {
    expect(problemsOf({ userId: 1, title: 'T', prompt: 'x'.repeat(51), model: 'gpt-9' })).toEqual([
      { path: 'prompt', message: 'must be at most 50 characters, got 51' },
      { path: 'model', message: 'unknown model "gpt-9"' },
    ]);
  });

  it("accepts the OpenAPI document's example and every field it lists", () => {
    const example = GENERATION_BODY_SCHEMA.example as Record<string, unknown>;
    expect(requestFromBody(example, context, validator)).toMatchObject(example);
    const everyField = {
      ...example,
      parameters: { temperature: 1, maxTokens: 10, topP: 0.5, systemPrompt: 'Be brief.' },
      requestId: '8d0b0c3e-6d0c-4f7a-9d6e-0c1f5d2b9a10',
      cacheScope: 'TENANT',
      tenant: 'acme',
      correlationId: 'c-1',
    };
    expect(Object.keys(everyField).sort()).toEqual(Object.keys(GENERATION_BODY_SCHEMA.properties).sort());
    expect(requestFromBody(everyField, context, validator)).toMatchObject(everyField);
  });
});
