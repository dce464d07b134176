import { InvalidSchemaError } from '@genstream/errors';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupVersions, parseSchemaFile, parseSchemaText, undocumented } from './schema-files.js';

const INVALID = new URL('../test/fixtures/invalid-schemas/', import.meta.url);

// Each invalid fixture and the words its error must contain.
const INVALID_FIXTURES: [file: string, message: string][] = [
  ['not-json.avsc', 'not-json.avsc is not valid JSON'],
  [
    'unknown-type.avsc',
    'unknown-type.avsc is not a valid Avro schema: undefined type name: genstream.datetime',
  ],
  ['missing-name.avsc', 'missing-name.avsc defines a record without a name'],
  ['not-a-record.avsc', 'not-a-record.avsc must define a record, not "enum"'],
  [
    'default-of-wrong-type.avsc',
    'default-of-wrong-type.avsc is not a valid Avro schema: incompatible field default "zero"',
  ],
  ['ambiguous-union.avsc', 'ambiguous-union.avsc is not a valid Avro schema: ambiguous unwrapped union'],
  [
    'nested-record-without-name.avsc',
    'nested-record-without-name.avsc is not a valid Avro schema: missing name',
  ],
];

const valid = JSON.stringify({
  type: 'record',
  name: 'Sample',
  namespace: 'genstream',
  doc: 'A sample.',
  fields: [{ name: 'id', type: 'string', doc: 'The id.' }],
});

describe('schema files', () => {
  it.each(INVALID_FIXTURES)('%s fails to load with a clear error', (file, message) => {
    const text = readFileSync(new URL(file, INVALID), 'utf8');
    const load = () => parseSchemaText(file, text);
    expect(load).toThrow(InvalidSchemaError);
    expect(load).toThrow(message);
  });

  it('checks the file name against the record name and the namespace', () => {
    expect(parseSchemaFile('Sample.v3.avsc', valid)).toMatchObject({
      name: 'Sample',
      version: 3,
      namespace: 'genstream',
    });
    expect(() => parseSchemaFile('Other.v1.avsc', valid)).toThrow(
      'Other.v1.avsc defines record Sample; its file name says Other',
    );
    expect(() => parseSchemaFile('Sample.avsc', valid)).toThrow('<RecordName>.v<version>.avsc');
    expect(() => parseSchemaFile('Sample.v0.avsc', valid)).toThrow('<RecordName>.v<version>.avsc');
    expect(() => parseSchemaFile('Sample.v1.avsc', valid.replace('"genstream"', '"other"'))).toThrow(
      'namespace must be "genstream", not "other"',
    );
  });

  it('wants versions 1, 2, 3... without gaps', () => {
    const file = (version: number) => parseSchemaFile(`Sample.v${version}.avsc`, valid);
    expect([
      ...groupVersions([file(2), file(1)])
        .get('Sample')!
        .map((f) => f.version),
    ]).toEqual([1, 2]);
    expect(() => groupVersions([file(1), file(3)])).toThrow(
      'Sample has versions 1, 3: versions must run 1, 2, 3... (version 2 is missing)',
    );
    expect(() => groupVersions([file(2)])).toThrow('(version 1 is missing)');
  });

  it('finds fields, records and enums without a doc', () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'string', doc: 'A.' },
        { name: 'b', type: 'string' },
        { name: 'c', doc: 'C.', type: { type: 'enum', name: 'E', symbols: ['X'] } },
        {
          name: 'd',
          doc: 'D.',
          type: {
            type: 'array',
            items: { type: 'record', name: 'I', doc: 'I.', fields: [{ name: 'e', type: 'int' }] },
          },
        },
      ],
    };
    expect(undocumented(schema)).toEqual(['record R', 'b', 'c (enum E)', 'd[].e']);
  });
});
