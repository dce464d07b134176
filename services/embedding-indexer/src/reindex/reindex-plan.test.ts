import { EmbedderConflictError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { VectorSetNames } from '../repositories/vector-set-names.js';
import { newReindex, resumable } from './reindex-plan.js';

const names = new VectorSetNames('genstream:vs:content');
const local = { spec: 'local:256', name: 'local-hashed-v1', dimension: 256 };
const stored = newReindex({
  names,
  topicPrefix: '',
  version: 2,
  embedder: local,
  previous: names.unaliased,
  ends: [{ partition: 0, low: '0', high: '10' }],
  now: Date.UTC(2026, 11, 3),
});

describe('newReindex', () => {
  it('builds version N into <VECTOR_SET>:v<N> with its own consumer group, from the current set', () => {
    expect(stored).toMatchObject({
      version: 2,
      set: 'genstream:vs:content:v2',
      spec: 'local:256',
      embedder: { name: 'local-hashed-v1', dimension: 256 },
      group: 'genstream.reindex.v2',
      previous: { set: 'genstream:vs:content', aliased: false },
      phase: 'copying',
    });
  });
});

describe('resumable', () => {
  it("begins when nothing is recorded and resumes the same embedder's reindex", () => {
    expect(resumable(undefined, local)).toBeUndefined();
    expect(resumable(stored, local)).toBe(stored);
  });

  it('refuses another embedder while one is in progress, naming how to finish it', () => {
    const other = { spec: 'local:384', name: 'local-hashed-v1', dimension: 384 };
    expect(() => resumable(stored, other)).toThrow(EmbedderConflictError);
    expect(() => resumable(stored, other)).toThrow(
      /into genstream:vs:content:v2 \(version 2\) with --embedder local:256 .* in progress since 2026-12-03T00:00:00.000Z; this run asks for local:384 .* Run it again with --embedder local:256/,
    );
  });
});
