import { describe, expect, it } from 'vitest';
import { contentWords, countTokens, joinSentences, splitSentences, truncateTokens } from './text.js';

describe('splitSentences', () => {
  it('ends sentences at final punctuation but not at abbreviations, initials or decimals', () => {
    const text =
      'Dr. Alvarez met J. R. Smith at 9.30 today. Prices rose approx. five percent, e.g. for bread! ' +
      'Did the U.S. Senate vote? "Yes," she said. It did.';
    expect(splitSentences(text)).toEqual([
      'Dr. Alvarez met J. R. Smith at 9.30 today.',
      'Prices rose approx. five percent, e.g. for bread!',
      'Did the U.S. Senate vote?',
      '"Yes," she said.',
      'It did.',
    ]);
  });

  it('keeps paragraphs, list items and headings apart and joins wrapped lines', () => {
    const text = '# Release notes\nThe new version\nis faster.\n\n- Smaller images\n2) Fewer bugs\n\nThanks';
    expect(splitSentences(text)).toEqual([
      'Release notes',
      'The new version is faster.',
      'Smaller images',
      'Fewer bugs',
      'Thanks',
    ]);
  });

  it('splits Chinese and Japanese text at their own full stops', () => {
    expect(splitSentences('東京は大きい。人が多い！本当？')).toEqual([
      '東京は大きい。',
      '人が多い！',
      '本当？',
    ]);
  });
});

describe('words and tokens', () => {
  it('finds content words in any script, without stop words, folding plurals', () => {
    expect(contentWords("The bottles don't leak, and the bottle is 100% steel.")).toEqual([
      'bottle',
      'leak',
      'bottle',
      '100',
      'steel',
    ]);
    expect(contentWords('Die Straßenbahn fährt schnell.')).toEqual(['straßenbahn', 'fährt', 'schnell']);
    expect(contentWords('हिन्दी भाषा')).toEqual(['हिन्दी', 'भाषा']);
  });

  it('counts whitespace-separated pieces, and each Chinese or Japanese character', () => {
    expect(countTokens('  Hello,   world!  ')).toBe(2);
    expect(countTokens('東京 is 大きい')).toBe(6);
    expect(countTokens('')).toBe(0);
  });

  it('truncates to a number of tokens, keeping the original spacing', () => {
    expect(truncateTokens('one  two three', 2)).toBe('one  two');
    expect(truncateTokens('one two', 5)).toBe('one two');
  });

  it('joins sentences into running text, adding a full stop where one is missing', () => {
    expect(joinSentences(['Release notes', 'It is faster.', 'Thanks'])).toBe(
      'Release notes. It is faster. Thanks',
    );
    expect(joinSentences(['東京は大きい。', '人が多い'])).toBe('東京は大きい。人が多い');
  });
});
