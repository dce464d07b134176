import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { integerFlag, isUsageError, knownNames, listFlag, valueFlags } from './flags.js';

const parse = (args: string[]) => parseArgs({ args, options: valueFlags('runs', 'only') }).values;

describe('flags', () => {
  it('reads integers and lists, absent ones as undefined', () => {
    const flags = parse(['--runs', '3', '--only', 'a, b']);
    expect(integerFlag(flags, 'runs')).toBe(3);
    expect(listFlag(flags, 'only')).toEqual(['a', 'b']);
    expect(integerFlag(parse([]), 'runs')).toBeUndefined();
  });

  it('refuses a value that is not a non-negative integer, as a usage error', () => {
    for (const value of ['x', '-1', '1.5', '']) {
      let thrown: unknown;
      try {
        integerFlag(parse(['--runs', value]), 'runs');
      } catch (error) {
        thrown = error;
      }
      expect(isUsageError(thrown), value).toBe(true);
    }
  });

  it('checks names against the known ones, all of them when none are chosen', () => {
    expect(knownNames('part', undefined, ['a', 'b'] as const)).toEqual(['a', 'b']);
    expect(knownNames('part', ['b'], ['a', 'b'] as const)).toEqual(['b']);
    expect(() => knownNames('part', ['c'], ['a', 'b'] as const)).toThrow('unknown part(s) c; known: a, b');
  });

  it("counts parseArgs' own refusals as usage errors", () => {
    let thrown: unknown;
    try {
      parse(['--nope']);
    } catch (error) {
      thrown = error;
    }
    expect(isUsageError(thrown)).toBe(true);
  });
});
