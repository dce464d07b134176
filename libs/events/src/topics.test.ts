import { describe, expect, it } from 'vitest';
import { contractTopics } from './topics.js';

describe('contractTopics', () => {
  it('lists the four topics of the contract, then their dead-letter topics, under the prefix', () => {
    expect(contractTopics('t1.')).toEqual([
      't1.genstream.generation.requested',
      't1.genstream.content.generated',
      't1.genstream.content.indexed',
      't1.genstream.generation.failed',
      't1.genstream.generation.requested.dlq',
      't1.genstream.content.generated.dlq',
      't1.genstream.content.indexed.dlq',
      't1.genstream.generation.failed.dlq',
    ]);
    expect(contractTopics()[0]).toBe('genstream.generation.requested');
  });
});
