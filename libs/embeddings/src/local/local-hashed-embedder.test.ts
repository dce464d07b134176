import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, toFp32Buffer } from '../vectors.js';
import { LocalHashedEmbedder } from './local-hashed-embedder.js';

const RAIL = 'The new light rail line opens in March and connects the airport with the central station.';
const RAIL_AGAIN =
  'In March the light rail line to the airport will open, linking it to the central station.';
const KAFKA = 'Kafka consumer groups share the partitions of a topic among their members.';
const KAFKA_AGAIN = 'Each member of a consumer group reads its own partitions of the Kafka topic.';
const CAKE = 'Add the flour and sugar, then bake the cake for forty minutes at 180 degrees.';

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
}

describe('LocalHashedEmbedder', () => {
  const embedder = new LocalHashedEmbedder();

  it('gives the same vector for the same text, in this process and in any other', async () => {
    const [a, b] = await embedder.embed([RAIL, RAIL]);
    expect(b).toEqual(a);
    expect(await new LocalHashedEmbedder().embed([RAIL])).toEqual([a]);
    // Pinned bytes: if this changes, every stored vector is stale; ship it as local-hashed-v2.
    expect(createHash('sha256').update(toFp32Buffer(a!)).digest('hex')).toBe(
      '137ce939c6e4f9ed07220c6d5c53f821913ced5dc021d3b01458aed40fb9a026',
    );
  });

  it('returns unit vectors of the configured dimension, one per text in order', async () => {
    const small = new LocalHashedEmbedder({ dimension: 64 });
    const vectors = await small.embed([RAIL, KAFKA, CAKE]);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(64);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(vectors[1]).toEqual(small.embedOne(KAFKA));
    expect(embedder.dimension).toBe(256);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('places texts that share words closer than unrelated ones', async () => {
    const [rail, railAgain, kafka, kafkaAgain, cake] = await embedder.embed([
      RAIL,
      RAIL_AGAIN,
      KAFKA,
      KAFKA_AGAIN,
      CAKE,
    ]);
    const similar = [cosineSimilarity(rail!, railAgain!), cosineSimilarity(kafka!, kafkaAgain!)];
    const unrelated = [rail!, railAgain!, kafka!, kafkaAgain!].map((vector) =>
      cosineSimilarity(vector, cake!),
    );
    expect(Math.min(...similar)).toBeGreaterThan(0.3);
    expect(Math.max(...unrelated)).toBeLessThan(0.15);
    expect(cosineSimilarity(rail!, kafka!)).toBeLessThan(similar[0]! - 0.3);
  });

  it('ignores case and punctuation', async () => {
    const [a, b] = await embedder.embed(['Light rail, opening in March!', 'light RAIL opening in march']);
    expect(cosineSimilarity(a!, b!)).toBeCloseTo(1, 6);
  });

  it('gives a text without words the zero vector, without NaN', async () => {
    for (const vector of await embedder.embed(['', '   ', '?!… —'])) {
      expect(vector).toEqual(new Float32Array(256));
    }
  });

  it('refuses dimensions it cannot use', () => {
    for (const dimension of [0, 1, 2.5, 1e9]) {
      expect(() => new LocalHashedEmbedder({ dimension })).toThrow(RangeError);
    }
  });
});
