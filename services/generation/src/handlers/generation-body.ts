import type { GenerationParameters, GenerationRequested } from '@genstream/events';
import { contractViolation, type Problem, type RequestValidator } from '../services/request-validator.js';
import { CACHE_SCOPES, GENERATION_BODY_SCHEMA, PARAMETERS_SCHEMA } from './generations.openapi.js';

/** What POST /v1/generations adds to the body: an id when the client gave none, the time, the source. */
export interface BodyContext {
  readonly newRequestId: () => string;
  readonly now: number;
  /** From the X-Correlation-Id header, used when the body has none. */
  readonly correlationId: string | null;
  /** The caller's one tenant (tenantBoundary): replaces the body's, checked to agree before. */
  readonly tenant?: string;
}

// The fields the OpenAPI document lists are the ones accepted: one list for both.
const FIELDS = Object.keys(GENERATION_BODY_SCHEMA.properties);
const PARAMETER_FIELDS = Object.keys(PARAMETERS_SCHEMA.properties);

/**
 * The GenerationRequested of a POST body. Throws one ContractViolationError listing every problem:
 * those of JSON types (a string userId, an unknown field) and those of the validator the consumer
 * runs too (empty prompt, unknown model, prompt too long...).
 */
export function requestFromBody(
  body: unknown,
  context: BodyContext,
  validator: RequestValidator,
): GenerationRequested {
  if (!isObject(body)) throw contractViolation([{ path: '', message: 'the body must be a JSON object' }])!;
  const read = new FieldReader();
  read.onlyKnown('', body, FIELDS);
  const parameters = readParameters(read, body.parameters);
  const requestId =
    body.requestId === undefined ? context.newRequestId() : read.string('requestId', body.requestId);
  // Where a field has the wrong type, the reader returns a valid placeholder: the field's problem
  // is already listed, and the validator still checks everything else.
  const request: GenerationRequested = {
    // Lowercase, so the status key and the contentId do not depend on how the client wrote the id.
    requestId: requestId.toLowerCase(),
    userId: read.number('userId', body.userId, 'must be an integer', 1),
    title: read.string('title', body.title, 'untitled'),
    prompt: read.string('prompt', body.prompt, 'placeholder'),
    model: read.string('model', body.model, 'local'),
    requestedAt: context.now,
    parameters,
    tenant: context.tenant ?? read.nullableString('tenant', body.tenant),
    cacheScope: read.oneOf('cacheScope', body.cacheScope, CACHE_SCOPES, 'USER'),
    correlationId: read.nullableString('correlationId', body.correlationId) ?? context.correlationId,
    causationId: null,
    source: 'http-api',
  };
  const mistyped = new Set(read.problems.map((problem) => problem.path));
  const violation = contractViolation([
    ...read.problems,
    ...validator.problemsOf(request).filter((problem) => !mistyped.has(problem.path)),
  ]);
  if (violation) throw violation;
  return request;
}

function readParameters(read: FieldReader, value: unknown): GenerationParameters {
  const none: GenerationParameters = { temperature: null, maxTokens: null, topP: null, systemPrompt: null };
  if (value === undefined || value === null) return none;
  if (!isObject(value)) {
    read.problem('parameters', 'must be an object');
    return none;
  }
  read.onlyKnown('parameters.', value, PARAMETER_FIELDS);
  return {
    temperature: read.nullableNumber('parameters.temperature', value.temperature),
    maxTokens: read.nullableNumber('parameters.maxTokens', value.maxTokens),
    topP: read.nullableNumber('parameters.topP', value.topP),
    systemPrompt: read.nullableString('parameters.systemPrompt', value.systemPrompt),
  };
}

/** Reads JSON values of the expected types, noting a problem (and a placeholder) for each other one. */
class FieldReader {
  readonly problems: Problem[] = [];

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  onlyKnown(prefix: string, value: Record<string, unknown>, known: readonly string[]): void {
    for (const field of Object.keys(value)) {
      if (!known.includes(field)) this.problem(`${prefix}${field}`, 'is not a known field');
    }
  }

  string(path: string, value: unknown, placeholder = ''): string {
    if (typeof value === 'string') return value;
    this.problem(path, value === undefined ? 'is required' : 'must be a string');
    return placeholder;
  }

  number(path: string, value: unknown, expected: string, placeholder: number): number {
    if (typeof value === 'number') return value;
    this.problem(path, value === undefined ? 'is required' : expected);
    return placeholder;
  }

  nullableString(path: string, value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    this.problem(path, 'must be a string or null');
    return null;
  }

  nullableNumber(path: string, value: unknown): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number') return value;
    this.problem(path, 'must be a number or null');
    return null;
  }

  oneOf<T extends string>(path: string, value: unknown, choices: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (choices.includes(value as T)) return value as T;
    this.problem(path, `must be one of ${choices.join(', ')}`);
    return fallback;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
