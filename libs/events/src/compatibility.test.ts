import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBackwardCompatible } from './compatibility.js';
import { parseSchemaText } from './schema-files.js';

const FIXTURES = new URL('../test/fixtures/compatibility/', import.meta.url);

function cases(kind: 'compatible' | 'incompatible') {
  const directory = new URL(`${kind}/`, FIXTURES);
  return readdirSync(directory).map((name) => {
    const read = (file: string) => readFileSync(new URL(`${name}/${file}`, directory), 'utf8');
    return {
      name,
      older: parseSchemaText(`${name}/v1.avsc`, read('v1.avsc')).schema,
      newer: parseSchemaText(`${name}/v2.avsc`, read('v2.avsc')).schema,
      reason: kind === 'incompatible' ? read('reason.txt').trim() : '',
    };
  });
}

describe('checkBackwardCompatible', () => {
  it.each(cases('compatible'))('accepts $name', ({ older, newer }) => {
    expect(checkBackwardCompatible(older, newer)).toEqual({ compatible: true, problems: [] });
  });

  it.each(cases('incompatible'))('rejects $name, saying why', ({ older, newer, reason }) => {
    const result = checkBackwardCompatible(older, newer);
    expect(result.compatible).toBe(false);
    expect(result.problems.join('\n')).toContain(reason);
  });

  it('lists every problem of a version, not only the first', () => {
    const older = {
      type: 'record',
      name: 'Two',
      fields: [
        { name: 'a', type: 'long' },
        { name: 'b', type: 'string' },
      ],
    };
    const newer = {
      type: 'record',
      name: 'Two',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'string' },
        { name: 'c', type: 'string' },
      ],
    };
    expect(checkBackwardCompatible(older, newer).problems).toEqual([
      'Two.a: type changed from long to int, which Avro cannot convert',
      'Two.c: field added without a default, so older data, which lacks it, cannot be read',
    ]);
  });

  it('handles recursive records', () => {
    const node = (extra: object[]) => ({
      type: 'record',
      name: 'Node',
      fields: [{ name: 'next', type: ['null', 'Node'], default: null }, ...extra],
    });
    expect(checkBackwardCompatible(node([]), node([{ name: 'x', type: 'int', default: 0 }])).compatible).toBe(
      true,
    );
    expect(checkBackwardCompatible(node([]), node([{ name: 'x', type: 'int' }])).compatible).toBe(false);
  });
});
