import { contentWords, countTokens, joinSentences, splitSentences, truncateTokens } from './text.js';

// A deterministic extractive summary: the sentences whose words the text repeats most, in their
// original order. No model, no randomness: the same text always gives the same summary.

export interface SummaryOptions {
  /** Budget of the summary in rough tokens (see countTokens); default 150. */
  readonly maxTokens?: number | null;
}

const DEFAULT_MAX_TOKENS = 150;
const MAX_SENTENCES = 5;
/** Sentences shorter than this (in tokens) weigh proportionally less: headings, fragments. */
const FULL_WEIGHT_TOKENS = 8;
/** Two sentences sharing more of their content words than this say the same thing. */
const REDUNDANT_OVERLAP = 0.6;
/** Sentences scoring below this share of the best one are never picked, even to fill the budget. */
const MIN_RELATIVE_SCORE = 0.5;
/** The first sentence often states the topic. */
const LEAD_BONUS = 1.1;

/** An instruction line before the text to summarize, e.g. "Summarize the following article:". */
const INSTRUCTION_LINE = /^\s*[^\n]{1,200}:[ \t]*\n/u;
const INLINE_INSTRUCTION = /^\s*(?:please\s+)?(?:summari[sz]e|condense|shorten|tl;?dr)\b[^:\n]{0,120}:\s*/iu;

interface Sentence {
  readonly index: number;
  readonly text: string;
  readonly tokens: number;
  readonly words: ReadonlySet<string>;
  readonly score: number;
}

export function summarize(text: string, options: SummaryOptions = {}): string {
  const budget = Math.max(1, Math.floor(options.maxTokens ?? DEFAULT_MAX_TOKENS));
  const sentences = scoreSentences(splitSentences(withoutInstruction(text)));
  if (sentences.length === 0) return truncateTokens(text.trim(), budget);

  const wanted =
    sentences.length <= 3
      ? sentences.length
      : Math.min(MAX_SENTENCES, Math.max(2, Math.ceil(sentences.length / 4)));
  const ranked = [...sentences].sort((a, b) => b.score - a.score || a.index - b.index);
  const floor = ranked[0]!.score * MIN_RELATIVE_SCORE;
  const chosen: Sentence[] = [];
  let used = 0;
  for (const sentence of ranked) {
    if (chosen.length === wanted || sentence.score < floor) break;
    if (used + sentence.tokens > budget || chosen.some((other) => redundant(sentence, other))) continue;
    chosen.push(sentence);
    used += sentence.tokens;
  }
  if (chosen.length === 0) {
    // Even the best sentence is over budget: cut it rather than answer nothing.
    return `${truncateTokens(ranked[0]!.text, budget).replace(/[\s,;:]+$/u, '')}…`;
  }
  return joinSentences(chosen.sort((a, b) => a.index - b.index).map((sentence) => sentence.text));
}

/** Drops a leading instruction when real text follows it, so the summary is of the text. */
function withoutInstruction(text: string): string {
  for (const pattern of [INSTRUCTION_LINE, INLINE_INSTRUCTION]) {
    const match = pattern.exec(text);
    if (match && contentWords(text.slice(match[0].length)).length > 0) {
      return text.slice(match[0].length);
    }
  }
  return text;
}

/**
 * Scores each sentence by how often the whole text uses its content words (see weightOf),
 * averaged over the sentence so that long sentences do not win by length alone.
 */
function scoreSentences(texts: readonly string[]): Sentence[] {
  const wordsOf = texts.map(contentWords);
  const frequency = new Map<string, number>();
  let top = 1;
  for (const word of wordsOf.flat()) {
    const count = (frequency.get(word) ?? 0) + 1;
    frequency.set(word, count);
    top = Math.max(top, count);
  }

  return texts.map((text, index) => {
    const words = wordsOf[index]!;
    const tokens = countTokens(text);
    const weight = words.reduce((sum, word) => sum + weightOf(frequency.get(word)!, top), 0);
    const average = words.length === 0 ? 0 : weight / words.length;
    const lengthFactor = Math.min(1, tokens / FULL_WEIGHT_TOKENS);
    const score = average * lengthFactor * (index === 0 ? LEAD_BONUS : 1);
    return { index, text, tokens, words: new Set(words), score };
  });
}

/**
 * A word's weight relative to the most frequent one. Words used once say little about the topic
 * and weigh nothing, unless no word repeats at all (a short text): then every word counts the same.
 */
function weightOf(count: number, top: number): number {
  return count > 1 || top === 1 ? count / top : 0;
}

function redundant(a: Sentence, b: Sentence): boolean {
  if (a.words.size === 0 || b.words.size === 0) return false;
  let shared = 0;
  for (const word of a.words) if (b.words.has(word)) shared++;
  return shared / (a.words.size + b.words.size - shared) > REDUNDANT_OVERLAP;
}
