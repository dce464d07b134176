import { describe, expect, it } from 'vitest';
import { summarize } from './summarize.js';
import { countTokens, splitSentences } from './text.js';

const ARTICLE = `Summarize the following article:

City officials announced on Tuesday that the new light rail line will open in March, two months
ahead of schedule. The line connects the airport with the central station and stops at nine
neighborhoods along the way.

Construction of the light rail line began three years ago. Crews worked overnight shifts to limit
disruption to traffic, and the project stayed within its budget of 1.2 billion dollars. Dr. Alvarez,
who led the engineering team, said the early opening was possible because tunnel work finished faster
than expected.

Trains will run every six minutes during rush hour and every twelve minutes in the evening. A single
ride on the rail line will cost the same as a bus ticket, and transfers between the rail line and city
buses will be free for ninety minutes.

Some residents worry about noise near the elevated sections of the line. The city said it installed
sound barriers along those sections and will measure noise levels during the first months of service.

The weather on Tuesday was sunny.`;

describe('summarize', () => {
  it('keeps the sentences about the main topic, in their original order, and drops the instruction', () => {
    const summary = summarize(ARTICLE);
    const sentences = splitSentences(summary);
    const original = splitSentences(ARTICLE);

    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(4);
    expect(sentences[0]).toBe(
      'City officials announced on Tuesday that the new light rail line will open in March, two months ahead of schedule.',
    );
    const positions = sentences.map((sentence) => original.indexOf(sentence));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(summary).not.toContain('Summarize');
    expect(summary).not.toContain('weather');
    expect(summary.length).toBeLessThan(ARTICLE.length / 2);
  });

  it('always gives the same summary for the same text', () => {
    expect(summarize(ARTICLE)).toBe(summarize(ARTICLE));
    expect(summarize(ARTICLE, { maxTokens: 40 })).toBe(summarize(`${ARTICLE}`, { maxTokens: 40 }));
  });

  it('stays within maxTokens, cutting the best sentence when no whole sentence fits', () => {
    for (const maxTokens of [1, 5, 12, 30, 60, 500]) {
      expect(countTokens(summarize(ARTICLE, { maxTokens }))).toBeLessThanOrEqual(maxTokens);
    }
    const cut = summarize(ARTICLE, { maxTokens: 5 });
    expect(cut).toMatch(/^\S+( \S+){4}…$/);
    expect(splitSentences(ARTICLE).some((sentence) => sentence.startsWith(cut.slice(0, -1)))).toBe(true);
    expect(summarize(ARTICLE, { maxTokens: null })).toBe(summarize(ARTICLE));
    // A tight budget is not filled up with off-topic sentences just because they are short.
    expect(summarize(ARTICLE, { maxTokens: 20 })).not.toContain('weather');
  });

  it('answers short and unusual texts sensibly', () => {
    expect(summarize('')).toBe('');
    expect(summarize('   \n\n ')).toBe('');
    expect(summarize('Just one sentence here.')).toBe('Just one sentence here.');
    expect(summarize('no punctuation at all in this prompt')).toBe('no punctuation at all in this prompt');
    expect(summarize('🙂 🚀 !!!')).toBe('🙂 🚀 !!!');
    expect(summarize('Summarize: Kafka stores events in partitions.')).toBe(
      'Kafka stores events in partitions.',
    );
    const japanese =
      '東京は日本の首都です。東京には多くの電車があります。富士山は高いです。東京の人口は多いです。';
    expect(splitSentences(japanese)).toContain(summarize(japanese, { maxTokens: 12 }));
  });

  it('scores German text by its content words, not by its articles', () => {
    const german =
      'Die Stadt hat eine neue Straßenbahn. Die Straßenbahn fährt ab März durch die Stadt. ' +
      'Viele Bürger freuen sich über die Straßenbahn. Das Wetter war schön.';
    expect(summarize(german)).not.toContain('Wetter');
  });
});
