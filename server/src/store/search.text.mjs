// What the search index is given for a message's text, defined once for the SQLite writer thread (a
// SQL function its triggers call), PostgreSQL's write path and the query side, which must transform
// a query exactly as the text was transformed. Plain JavaScript for the writer thread; types in
// search.text.d.mts.

/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai, …), and Korean, whose words
 * carry their particles. A word tokenizer would take a whole sentence of them as one word, so a run of
 * them is indexed as its overlapping pairs of characters (as Lucene's CJK analyzer does), plus its last
 * character alone: any substring of two or more characters is then a phrase of pairs, and one
 * character a prefix of a pair.
 */
const unspaced =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+/gu;
const anyUnspaced =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** The pairs of a run of unspaced characters (by code point), space-separated, then its last one. */
export function pairsOf(run) {
  const chars = Array.from(run);
  if (chars.length === 1) return chars[0];
  const pairs = [];
  for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
  pairs.push(chars[chars.length - 1]);
  return pairs.join(' ');
}

export const hasUnspaced = (text) => anyUnspaced.test(text);

/** The text with each unspaced run replaced by its pairs; unchanged (the same string) otherwise. */
export function splitUnspaced(text) {
  if (!anyUnspaced.test(text)) return text;
  return text.replace(unspaced, (run) => ` ${pairsOf(run)} `);
}

/**
 * A query's text as the index holds it, without the trailing single character the index adds: a run
 * of two or more characters becomes a phrase of pairs; a single character stays one, to be searched
 * as the prefix of a pair (`endsUnspacedChar` says when).
 */
export function splitUnspacedQuery(text) {
  if (!anyUnspaced.test(text)) return text;
  return text.replace(unspaced, (run) => {
    const chars = Array.from(run);
    if (chars.length === 1) return ` ${run} `;
    const pairs = [];
    for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
    return ` ${pairs.join(' ')} `;
  });
}

/** Whether the text is a single unspaced character (searched as a prefix of the indexed pairs). */
export const isSingleUnspaced = (text) => Array.from(text).length === 1 && anyUnspaced.test(text);

/** Runs of unspaced characters in a query term, in order, for highlighting. */
export function unspacedRuns(text) {
  return text.match(unspaced) ?? [];
}

/**
 * Accents off Latin and Greek letters ("café" → "cafe"), as SQLite's `remove_diacritics 2` does;
 * PostgreSQL's parser keeps them, so its side folds in JavaScript. Marks of other scripts (Thai
 * vowels, Devanagari signs) are letters of their words and stay.
 */
export function foldAccents(text) {
  // ASCII has nothing to fold: the common case costs one scan.
  if (!/[^\x20-\x7e\s]/.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/([\p{Script=Latin}\p{Script=Greek}])\p{Mn}+/gu, '$1')
    .normalize('NFC');
}

/**
 * What the people finder matches a display name (and a query) by: accents folded, then lower-cased.
 * Stored as `users.display_name_key`: a change here needs a migration that recomputes it.
 */
export function displayNameKey(name) {
  return name === null ? null : foldAccents(name).toLowerCase();
}
