import { describe, expect, it } from 'vitest';
import { parsingCanonicalForm } from './canonical-form.js';
import { fingerprintBytes, rabinFingerprint } from './rabin-fingerprint.js';

// Vectors from the Avro project's shared test data (share/test/data/schema-tests.txt): each input
// schema, its Parsing Canonical Form, and the CRC-64-AVRO fingerprint as Java's signed long.
const VECTORS: { input: string; canonical: string; fingerprint?: bigint }[] = [
  { input: '"null"', canonical: '"null"', fingerprint: 7195948357588979594n },
  { input: '{"type":"null"}', canonical: '"null"' },
  { input: '"boolean"', canonical: '"boolean"', fingerprint: -6970731678124411036n },
  { input: '"int"', canonical: '"int"', fingerprint: 8247732601305521295n },
  { input: '{"type":"int"}', canonical: '"int"' },
  { input: '"long"', canonical: '"long"', fingerprint: -3434872931120570953n },
  { input: '"float"', canonical: '"float"', fingerprint: 5583340709985441680n },
  { input: '"double"', canonical: '"double"', fingerprint: -8181574048448539266n },
  { input: '"bytes"', canonical: '"bytes"', fingerprint: 5746618253357095269n },
  { input: '"string"', canonical: '"string"', fingerprint: -8142146995180207161n },
  { input: '[  ]', canonical: '[]', fingerprint: -1241056759729112623n },
  { input: '[ "int"  ]', canonical: '["int"]', fingerprint: -5232228896498058493n },
  {
    input: '[ "int" , {"type":"boolean"} ]',
    canonical: '["int","boolean"]',
    fingerprint: 5392556393470105090n,
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo"}',
    canonical: '{"name":"foo","type":"record","fields":[]}',
    fingerprint: -4824392279771201922n,
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    canonical: '{"name":"x.y.foo","type":"record","fields":[]}',
    fingerprint: 5916914534497305771n,
  },
  {
    input: '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    canonical: '{"name":"a.b.foo","type":"record","fields":[]}',
    fingerprint: -4616218487480524110n,
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    canonical: '{"name":"foo","type":"record","fields":[]}',
    fingerprint: -4824392279771201922n,
  },
  {
    input: '{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}',
    canonical: '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}',
    fingerprint: 7843277075252814651n,
  },
  {
    input:
      '{"fields":[{"type":"boolean","aliases":[],"name":"f1","default":"true"},' +
      '{"order":"descending","name":"f2","doc":"Hello","type":"int"}],"type":"record","name":"foo"}',
    canonical:
      '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    fingerprint: -4860222112080293046n,
  },
  {
    input: '{"type":"enum", "name":"foo", "symbols":["A1"]}',
    canonical: '{"name":"foo","type":"enum","symbols":["A1"]}',
    fingerprint: -6342190197741309591n,
  },
  {
    input: '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    canonical: '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    fingerprint: -4448647247586288245n,
  },
  {
    input: '{"name":"foo","type":"fixed","size":15}',
    canonical: '{"name":"foo","type":"fixed","size":15}',
    fingerprint: 1756455273707447556n,
  },
  {
    input: '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    canonical: '{"name":"x.y.z.foo","type":"fixed","size":32}',
    fingerprint: -3064184465700546786n,
  },
  {
    input: '{ "items":{"type":"null"}, "type":"array"}',
    canonical: '{"type":"array","items":"null"}',
    fingerprint: -589620603366471059n,
  },
  {
    input: '{ "values":"string", "type":"map"}',
    canonical: '{"type":"map","values":"string"}',
    fingerprint: -8732877298790414990n,
  },
  {
    input:
      '{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    canonical:
      '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    fingerprint: -1759257747318642341n,
  },
];

describe('Parsing Canonical Form and CRC-64-AVRO', () => {
  it.each(VECTORS)('$input', ({ input, canonical, fingerprint }) => {
    const form = parsingCanonicalForm(JSON.parse(input));
    expect(form).toBe(canonical);
    if (fingerprint !== undefined) {
      expect(BigInt.asIntN(64, rabinFingerprint(Buffer.from(form)))).toBe(fingerprint);
    }
  });

  it('writes the fingerprint little-endian, as in the single-object header of "int"', () => {
    expect(fingerprintBytes('"int"')).toEqual(Buffer.from('8f5c393f1ad57572', 'hex'));
  });

  it('drops logical types, defaults and docs, and qualifies nested names with the enclosing namespace', () => {
    const schema = {
      type: 'record',
      name: 'Outer',
      namespace: 'genstream',
      doc: 'ignored',
      fields: [
        { name: 'id', type: { type: 'string', logicalType: 'uuid' }, doc: 'ignored' },
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A'], default: 'A' }, default: 'A' },
        { name: 'again', type: 'Kind' },
        { name: 'other', type: { type: 'fixed', name: 'x.Hash', size: 4 } },
      ],
    };
    expect(parsingCanonicalForm(schema)).toBe(
      '{"name":"genstream.Outer","type":"record","fields":[{"name":"id","type":"string"},' +
        '{"name":"kind","type":{"name":"genstream.Kind","type":"enum","symbols":["A"]}},' +
        '{"name":"again","type":"genstream.Kind"},' +
        '{"name":"other","type":{"name":"x.Hash","type":"fixed","size":4}}]}',
    );
  });
});
