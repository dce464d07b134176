import { ContractViolationError } from '@genstream/errors';
import type { GenerationParameters } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { RequestValidator } from './request-validator.js';

const validator = new RequestValidator({
  maxPromptChars: 100,
  knowsModel: (model) => model === 'local' || model === 'gpt-4o-mini',
});

const NO_PARAMETERS: GenerationParameters = {
  temperature: null,
  maxTokens: null,
  topP: null,
  systemPrompt: null,
};

function withParameters(parameters: Partial<GenerationParameters>) {
  return aGenerationRequested({
    prompt: 'Describe a bottle.',
    parameters: { ...NO_PARAMETERS, ...parameters },
  });
}

describe('RequestValidator', () => {
  it('accepts a valid request, with or without parameters', () => {
    expect(validator.problemsOf(aGenerationRequested({ prompt: 'Describe a bottle.' }))).toEqual([]);
    expect(validator.problemsOf(withParameters({}))).toEqual([]);
    expect(
      validator.problemsOf(withParameters({ temperature: 2, maxTokens: 32_768, topP: 1, systemPrompt: 'x' })),
    ).toEqual([]);
    expect(validator.problemsOf(withParameters({ temperature: 0, maxTokens: 1, topP: 0.01 }))).toEqual([]);
    expect(validator.problemsOf(aGenerationRequested({ prompt: 'p', model: 'gpt-4o-mini' }))).toEqual([]);
  });

  it('reports every problem of a request at once, with its path', () => {
    const request = aGenerationRequested({
      requestId: 'not-a-uuid',
      userId: 0,
      title: '   ',
      prompt: ' \n\t ',
      model: 'gpt-9',
      tenant: '',
      parameters: { temperature: 2.5, maxTokens: 0, topP: 0, systemPrompt: 'y'.repeat(101) },
    });
    expect(validator.problemsOf(request).map(({ path }) => path)).toEqual([
      'requestId',
      'userId',
      'title',
      'prompt',
      'model',
      'tenant',
      'parameters.temperature',
      'parameters.maxTokens',
      'parameters.topP',
      'parameters.systemPrompt',
    ]);
    expect(validator.problemsOf(request)).toContainEqual({ path: 'model', message: 'unknown model "gpt-9"' });
  });

  it('bounds the prompt and the title by length', () => {
    expect(validator.problemsOf(aGenerationRequested({ prompt: 'x'.repeat(100) }))).toEqual([]);
    expect(validator.problemsOf(aGenerationRequested({ prompt: 'x'.repeat(101) }))).toEqual([
      { path: 'prompt', message: 'must be at most 100 characters, got 101' },
    ]);
    expect(validator.problemsOf(aGenerationRequested({ prompt: 'p', title: 't'.repeat(500) }))).toEqual([]);
    expect(validator.problemsOf(aGenerationRequested({ prompt: 'p', title: 't'.repeat(501) }))).toEqual([
      { path: 'title', message: 'must be at most 500 characters, got 501' },
    ]);
  });

  it.each([
    [{ temperature: -0.1 }, 'parameters.temperature'],
    [{ temperature: Number.NaN }, 'parameters.temperature'],
    [{ maxTokens: 32_769 }, 'parameters.maxTokens'],
    [{ maxTokens: 1.5 }, 'parameters.maxTokens'],
    [{ topP: 1.01 }, 'parameters.topP'],
    [{ topP: -1 }, 'parameters.topP'],
  ])('rejects the parameters %o', (parameters, path) => {
    expect(validator.problemsOf(withParameters(parameters)).map((problem) => problem.path)).toEqual([path]);
  });

  it('rejects negative and fractional user ids', () => {
    for (const userId of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2]) {
      expect(validator.problemsOf(aGenerationRequested({ prompt: 'p', userId }))).toEqual([
        { path: 'userId', message: 'must be a positive integer' },
      ]);
    }
  });

  it('turns the problems into one ContractViolationError with details.problems', () => {
    const request = aGenerationRequested({ prompt: '', model: 'nope' });
    const violation = validator.violationOf(request);
    expect(violation).toBeInstanceOf(ContractViolationError);
    expect(violation?.code).toBe('CONTRACT_VIOLATION');
    expect(violation?.retriable).toBe(false);
    expect(violation?.message).toBe(
      'invalid generation request: prompt must not be empty; model unknown model "nope"',
    );
    expect(violation?.details.problems).toEqual([
      { path: 'prompt', message: 'must not be empty' },
      { path: 'model', message: 'unknown model "nope"' },
    ]);
    expect(() => validator.assertValid(request)).toThrow(ContractViolationError);
    expect(validator.violationOf(aGenerationRequested({ prompt: 'ok' }))).toBeUndefined();
  });
});
