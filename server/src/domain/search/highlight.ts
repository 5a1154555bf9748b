import type { TextRange } from '@parley/protocol';
import { stemmer } from 'stemmer';
import { foldAccents, hasUnspaced, unspacedRuns } from '../../store/search.text.mjs';
import type { SearchTerm } from '../../store/search/types.js';

interface Token {
  start: number;
  end: number;
  folded: string;
  stem: string;
}

const wordPattern = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Where a query's words and phrases occur in a text, as ranges a client marks (never markup). Words
 * are compared as the index compares them: case and accents folded and, for English, by Porter stem
 * (the algorithm of SQLite's tokenizer; PostgreSQL's Snowball English agrees on nearly every word);
 * for other languages a word also matches the longer forms it starts (an approximation of their
 * stemmers). Unspaced scripts (Chinese, Japanese, Thai …) match as substrings, as the index does.
 */
export function highlight(text: string, terms: SearchTerm[], language: string): TextRange[] {
  const stem = language === 'english' ? stemmer : (word: string) => word;
  const tokens: Token[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const folded = foldAccents(match[0]).toLowerCase();
    tokens.push({ start: match.index, end: match.index + match[0].length, folded, stem: stem(folded) });
  }
  const ranges: TextRange[] = [];
  for (const term of terms) {
    if (term.negated) continue;
    for (const run of unspacedRuns(term.text)) {
      for (let at = text.indexOf(run); at !== -1; at = text.indexOf(run, at + run.length)) {
        ranges.push({ start: at, end: at + run.length });
      }
    }
    const words = [...term.text.matchAll(wordPattern)]
      .map((m) => m[0])
      .filter((word) => !hasUnspaced(word))
      .map((word) => foldAccents(word).toLowerCase());
    if (words.length === 0) continue;
    const wanted = words.map((word) => ({ folded: word, stem: stem(word) }));
    for (let i = 0; i + wanted.length <= tokens.length; i++) {
      let all = true;
      for (let k = 0; k < wanted.length && all; k++) {
        const last = k === wanted.length - 1;
        all = matches(tokens[i + k] as Token, wanted[k] as Omit<Token, 'start' | 'end'>, {
          prefix: last && term.prefix,
          loose: language !== 'english',
        });
      }
      if (all)
        ranges.push({ start: (tokens[i] as Token).start, end: (tokens[i + wanted.length - 1] as Token).end });
    }
  }
  return merge(ranges);
}

function matches(
  token: Token,
  word: { folded: string; stem: string },
  how: { prefix: boolean; loose: boolean },
): boolean {
  if (token.folded === word.folded || token.stem === word.stem) return true;
  if (how.prefix) return token.folded.startsWith(word.folded);
  if (how.loose && word.folded.length >= 5) return token.folded.startsWith(word.folded.slice(0, -2));
  return false;
}

/** Sorted, overlapping or touching ranges joined. */
function merge(ranges: TextRange[]): TextRange[] {
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TextRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
