import { describe, expect, it } from 'vitest';
import { spreadOf } from '../stats.js';
import { conclusionsOf, verdictOf } from './conclusions.js';
import type { WriterScaling } from './results.js';

const writer: WriterScaling = {
  writer: 'embedding-indexer',
  store: 'Redis vector set',
  byInstances: [
    {
      instances: 1,
      recordsPerSecond: spreadOf([1_000]),
      perInstance: 1_000,
      machineBusyCores: 1.5,
      writerCores: 0.5,
    },
    {
      instances: 3,
      recordsPerSecond: spreadOf([1_200]),
      perInstance: 400,
      machineBusyCores: 2,
      writerCores: 0.7,
    },
  ],
  ratio: 1.2,
  runRatios: [1.2],
  efficiency: 0.4,
  recordsPerWriterCore: 2_000,
  predictedAtPartitions: 6_000,
};

describe('scaling conclusions', () => {
  it('puts the speed-up in words', () => {
    expect(verdictOf(2.7, 3)).toBe('close to linear');
    expect(verdictOf(1.3, 3)).toBe('a partial gain');
    expect(verdictOf(1, 3)).toMatch(/^no real gain/);
    expect(verdictOf(0.7, 3)).toMatch(/^a loss/);
  });

  it('says what the cores allow and predicts rate x instances up to the partitions', () => {
    const lines = conclusionsOf({ cores: 2, partitions: 6, writers: [writer], layouts: [] });
    expect(lines[0]).toMatch(/^What 2 cores allow/);
    expect(lines[1]).toContain('embedding-indexer: 1,000 records/s with 1 instance');
    expect(lines[2]).toContain('embedding-indexer 1,000 x 6 = 6,000 records/s');
    expect(lines[2]).toContain('a 7th instance would idle');
    expect(lines[2]).toContain('about 3.0 cores');
  });
});
