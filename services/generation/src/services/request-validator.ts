import { isUuid } from '@genstream/events';
import { ContractViolationError } from '@genstream/errors';
import type { GenerationRequested } from '@genstream/events';

/** One thing wrong with a request: the field path (e.g. `parameters.topP`) and what is wrong. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export interface RequestValidatorOptions {
  /** Longest prompt (and system prompt), in UTF-16 code units as JavaScript counts them. */
  readonly maxPromptChars: number;
  /** Whether some configured provider answers the model; ModelRouter.knows. */
  readonly knowsModel: (model: string) => boolean;
}

export const MAX_TITLE_CHARS = 500;
export const MAX_TENANT_CHARS = 200;
export const MAX_TOKENS_LIMIT = 32_768;

/**
 * The content rules of a GenerationRequested beyond its Avro schema, shared by the HTTP API (before
 * publishing) and the consumer (for requests other producers published). Pure: it reports every
 * problem at once, so a client fixes its request in one round.
 */
export class RequestValidator {
  constructor(private readonly options: RequestValidatorOptions) {}

  problemsOf(request: GenerationRequested): Problem[] {
    const problems: Problem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    const { maxPromptChars } = this.options;

    if (!isUuid(request.requestId)) add('requestId', 'must be a UUID');
    if (!Number.isSafeInteger(request.userId) || request.userId <= 0) {
      add('userId', 'must be a positive integer');
    }
    if (request.title.trim() === '') add('title', 'must not be empty');
    else if (request.title.length > MAX_TITLE_CHARS) {
      add('title', `must be at most ${MAX_TITLE_CHARS} characters, got ${request.title.length}`);
    }
    if (request.prompt.trim() === '') add('prompt', 'must not be empty');
    else if (request.prompt.length > maxPromptChars) {
      add('prompt', `must be at most ${maxPromptChars} characters, got ${request.prompt.length}`);
    }
    if (request.model.trim() === '') add('model', 'must not be empty');
    else if (!this.options.knowsModel(request.model)) add('model', `unknown model "${request.model}"`);
    if (
      request.tenant !== null &&
      (request.tenant.trim() === '' || request.tenant.length > MAX_TENANT_CHARS)
    ) {
      add('tenant', `must be null or 1 to ${MAX_TENANT_CHARS} characters, not blank`);
    }

    const { temperature, maxTokens, topP, systemPrompt } = request.parameters;
    if (temperature !== null && !(Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) {
      add('parameters.temperature', 'must be a number from 0 to 2');
    }
    if (
      maxTokens !== null &&
      !(Number.isInteger(maxTokens) && maxTokens >= 1 && maxTokens <= MAX_TOKENS_LIMIT)
    ) {
      add('parameters.maxTokens', `must be an integer from 1 to ${MAX_TOKENS_LIMIT}`);
    }
    if (topP !== null && !(Number.isFinite(topP) && topP > 0 && topP <= 1)) {
      add('parameters.topP', 'must be a number greater than 0 and at most 1');
    }
    if (systemPrompt !== null && systemPrompt.length > maxPromptChars) {
      add(
        'parameters.systemPrompt',
        `must be at most ${maxPromptChars} characters, got ${systemPrompt.length}`,
      );
    }
    return problems;
  }

  /** A ContractViolationError listing every problem (`details.problems`), or undefined when valid. */
  violationOf(request: GenerationRequested): ContractViolationError | undefined {
    return contractViolation(this.problemsOf(request));
  }

  /** Throws the ContractViolationError of an invalid request. */
  assertValid(request: GenerationRequested): void {
    const violation = this.violationOf(request);
    if (violation) throw violation;
  }
}

/** The error of a list of problems; undefined when there are none. */
export function contractViolation(problems: readonly Problem[]): ContractViolationError | undefined {
  if (problems.length === 0) return undefined;
  const listed = problems.map(({ path, message }) => `${path} ${message}`).join('; ');
  return new ContractViolationError(`invalid generation request: ${listed}`, {
    details: { problems: [...problems] },
  });
}
