import { describe, expect, it } from 'vitest';
import { tokenize, weightedFeatures } from './features.js';

describe('tokenize', () => {
  it('lower-cases, drops punctuation and inner apostrophes, and keeps any script whole', () => {
    expect(tokenize("Don't PANIC: it's 42 (really)!")).toEqual(['dont', 'panic', 'its', '42', 'really']);
    expect(tokenize('Ｆｕｌｌ－width ﬁle')).toEqual(['full', 'width', 'file']);
    expect(tokenize('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']);
    expect(tokenize(' ... ')).toEqual([]);
  });
});

describe('weightedFeatures', () => {
  it('weighs words, bigrams and trigrams, with sublinear term frequency', () => {
    const features = weightedFeatures(['the', 'rail', 'rail']);
    expect(features.get('w:rail')).toBeCloseTo(1 + Math.log(2));
    expect(features.get('b:the rail')).toBeCloseTo(0.7);
    expect(features.get('b:rail rail')).toBeCloseTo(0.7);
    expect(features.get('c:<ra')).toBeCloseTo(0.25 * (1 + Math.log(2)));
    expect(features.has('w:the')).toBe(false);
    expect(features.has('c:the')).toBe(false);
  });

  it('leaves out pairs of stop words', () => {
    expect([...weightedFeatures(['in', 'the']).keys()]).toEqual([]);
  });
});
