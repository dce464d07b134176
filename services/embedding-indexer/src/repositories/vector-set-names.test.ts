import { describe, expect, it } from 'vitest';
import { VectorSetNames } from './vector-set-names.js';

describe('VectorSetNames', () => {
  const names = new VectorSetNames('genstream:vs:content');

  it('names version 1 as VECTOR_SET itself and later versions :v<N>', () => {
    expect(names.setOf(1)).toBe('genstream:vs:content');
    expect(names.setOf(2)).toBe('genstream:vs:content:v2');
    expect(names.setOf(17)).toBe('genstream:vs:content:v17');
    expect(() => names.setOf(0)).toThrow(RangeError);
    expect(() => names.setOf(1.5)).toThrow(RangeError);
    expect([names.alias, names.version, names.reindex]).toEqual([
      'genstream:vs:content:alias',
      'genstream:vs:content:version',
      'genstream:vs:content:reindex',
    ]);
    expect(VectorSetNames.groupOf('t1.', 3)).toBe('t1.genstream.reindex.v3');
  });

  it('reads the alias hash, and falls back to VECTOR_SET without one', () => {
    expect(names.targetOf({})).toEqual({ set: 'genstream:vs:content', version: 1, aliased: false });
    expect(
      names.targetOf({
        set: 'genstream:vs:content:v2',
        version: '2',
        embedder: 'local-hashed-v1',
        dimension: '384',
        spec: 'local:384',
      }),
    ).toEqual({
      set: 'genstream:vs:content:v2',
      version: 2,
      aliased: true,
      embedder: { name: 'local-hashed-v1', dimension: 384, spec: 'local:384' },
    });
    expect(names.targetOf({ set: 'x', version: 'two' })).toEqual(names.unaliased);
  });
});
