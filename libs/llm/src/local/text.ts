import { STOP_WORDS } from './stop-words.js';

// Plain-text helpers of the extractive summarizer: sentences, content words, rough token counts.

/** Ends a sentence: `.`, `!`, `?` or `…` before whitespace (closing quotes allowed), or a CJK full stop. */
const SENTENCE_END = /[.!?…]+["'”’»)\]]*(?=\s|$)|[。！？]+["'”’」』)\]]*/gu;

/** Abbreviations whose dot does not end a sentence. */
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof sr jr st vs etc e.g i.e eg ie inc ltd co corp no nos fig approx dept est cf al jan feb mar apr jun jul aug sep sept oct nov dec'.split(
    ' ',
  ),
);

/** A line that starts a block of its own: a list item or a Markdown heading. */
const LINE_MARKER = /^\s*(?:[-*•‣◦+]\s+|\d{1,3}[.)]\s+|(#{1,6})\s+)/u;

/** Scripts written without spaces between words: each character counts as a token. */
const UNSPACED_CHAR = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const ROUGH_TOKEN =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|[^\s\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+/gu;

const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{M}]+)*/gu;

/**
 * The sentences of `text`, trimmed, in order. Blank lines end paragraphs, list items and headings
 * stand alone (their markers dropped), and other line breaks inside a paragraph are just spaces.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const block of blocks(text)) {
    let start = 0;
    for (const match of block.matchAll(SENTENCE_END)) {
      const end = match.index + match[0].length;
      if (match[0].startsWith('.') && continuesAfterDot(block, match.index, end)) continue;
      pushTrimmed(sentences, block.slice(start, end));
      start = end;
    }
    pushTrimmed(sentences, block.slice(start));
  }
  return sentences;
}

/** Lower-cased words of `text`, with their inner apostrophes (`don't`). */
export function words(text: string): string[] {
  return Array.from(text.toLowerCase().matchAll(WORD), (match) => match[0].replaceAll('’', "'"));
}

/** The words that carry meaning: no stop words, no single Latin letters, plurals folded. */
export function contentWords(text: string): string[] {
  return words(text)
    .filter((word) => !STOP_WORDS.has(word) && (word.length > 1 || UNSPACED_CHAR.test(word)))
    .map(fold);
}

/**
 * A rough token count: whitespace-separated pieces, and one per character for Chinese and
 * Japanese (written without spaces). Close enough to a tokenizer to budget and report usage.
 */
export function countTokens(text: string): number {
  return text.match(ROUGH_TOKEN)?.length ?? 0;
}

/**
 * Sentences as running text. A sentence without final punctuation (a list item, a heading) gets a
 * full stop so that it does not run into the next one; Chinese and Japanese need no spaces.
 */
export function joinSentences(sentences: readonly string[]): string {
  let text = '';
  for (const sentence of sentences) {
    if (text !== '') {
      if (/[\p{L}\p{N}\p{M}]$/u.test(text)) text += UNSPACED_CHAR.test(text.at(-1)!) ? '。' : '.';
      if (!/[。！？」』]$/u.test(text)) text += ' ';
    }
    text += sentence;
  }
  return text;
}

/** The first `limit` rough tokens of `text`, cut in place (original spacing kept). */
export function truncateTokens(text: string, limit: number): string {
  let count = 0;
  for (const match of text.matchAll(ROUGH_TOKEN)) {
    if (++count === limit) return text.slice(0, match.index + match[0].length);
  }
  return text;
}

function blocks(text: string): string[] {
  const result: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    let current: string[] = [];
    for (const line of paragraph.split('\n')) {
      const marker = LINE_MARKER.exec(line);
      if (marker) {
        if (current.length > 0) result.push(current.join(' '));
        current = [line.slice(marker[0].length)];
        // A heading is a block of one line: the text under it is not part of it.
        if (marker[1] !== undefined) {
          result.push(current.join(' '));
          current = [];
        }
      } else {
        current.push(line);
      }
    }
    if (current.length > 0) result.push(current.join(' '));
  }
  return result.map((block) => block.replace(/\s+/g, ' ').trim()).filter((block) => block !== '');
}

/**
 * True when the dot at `dotIndex` belongs to an abbreviation or initial rather than ending a
 * sentence. Blocks have single spaces only, so neighbours are found without scanning the block.
 */
function continuesAfterDot(block: string, dotIndex: number, end: number): boolean {
  const next = block[end] === ' ' ? block[end + 1] : block[end];
  if (next === undefined) return false;
  if (/\p{Ll}/u.test(next)) return true; // "e.g. the", "approx. five": no new sentence starts lower-case
  const before = block.slice(block.lastIndexOf(' ', dotIndex - 1) + 1, dotIndex).replace(/^["'“‘([]+/u, '');
  const token = before.toLowerCase();
  return ABBREVIATIONS.has(token) || /^\p{Lu}$/u.test(before) || /^(\p{L}\.)+\p{L}$/u.test(token);
}

function pushTrimmed(sentences: string[], sentence: string): void {
  const trimmed = sentence.trim();
  if (trimmed !== '') sentences.push(trimmed);
}

/** Folds simple English plurals so that "bottle" and "bottles" count as one word. */
function fold(word: string): string {
  if (word.length <= 4 || !/^[a-z]+$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
