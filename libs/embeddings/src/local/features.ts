// The lexical features of LocalHashedEmbedder. Everything here is part of the vector definition:
// changing a word list, a weight or the tokenizer changes every vector, so it needs a new embedder
// name (local-hashed-v2) and a re-index, never an in-place edit.

/** Word bigrams keep a little word order: "light rail" is not "rail" plus "light". */
const BIGRAM_WEIGHT = 0.7;
/**
 * Character trigrams of each word make inflections meet ("index", "indexes", "indexing") and
 * survive typos; weighted low so that shared spelling does not outweigh shared words.
 */
const TRIGRAM_WEIGHT = 0.25;

/**
 * Words so common that sharing them says nothing. Kept here, frozen with the embedder, rather
 * than taken from a list that may change for other reasons.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an and are as at be been but by can did do does for from had has have he her his i if in into is it
its me my no not of on or our she so than that the their them then there these they this those to too
us was we were what when where which who will with would you your`.split(/\s+/),
);

/** Letters (with their combining marks, so Devanagari or Arabic words stay whole) and digits. */
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Lower-cased words of `text`: Unicode-normalized (NFKC, so full-width and ligature forms match
 * their plain forms), apostrophes inside words dropped ("don't" → "dont"), punctuation removed.
 */
export function tokenize(text: string): string[] {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(?<=[\p{L}\p{N}])['’](?=[\p{L}\p{N}])/gu, '');
  return normalized.match(TOKEN) ?? [];
}

/**
 * Each feature of the text with its weight before hashing: 1 for a word, 0.7 for a pair of
 * adjacent words, 0.25 for a character trigram of a word; times sublinear term frequency
 * (1 + ln count), so a word repeated ten times does not drown the rest. Stop words count only
 * inside a bigram with a content word. Keys carry a kind prefix so "cat" the word and "cat" the
 * trigram are different features.
 */
export function weightedFeatures(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  tokens.forEach((token, i) => {
    const stop = STOP_WORDS.has(token);
    if (!stop) {
      count(`w:${token}`);
      const padded = `<${token}>`;
      const chars = Array.from(padded);
      for (let j = 0; j + 3 <= chars.length; j++) count(`c:${chars.slice(j, j + 3).join('')}`);
    }
    const next = tokens[i + 1];
    if (next !== undefined && !(stop && STOP_WORDS.has(next))) count(`b:${token} ${next}`);
  });

  const weights = new Map<string, number>();
  for (const [feature, n] of counts) {
    const kind = feature[0] === 'w' ? 1 : feature[0] === 'b' ? BIGRAM_WEIGHT : TRIGRAM_WEIGHT;
    weights.set(feature, kind * (1 + Math.log(n)));
  }
  return weights;
}
