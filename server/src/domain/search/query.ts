import { searchLimits } from '@parley/protocol';
import { AppError, fail } from '../../errors.js';
import type { SearchTerm } from '../../store/search/types.js';

/** A query as typed, read into words and phrases and the operators that narrow it. */
export interface ParsedQuery {
  terms: SearchTerm[];
  /** Usernames of `from:` (without "@"). */
  from: string[];
  /** `in:#room` names and `in:@user` DMs (with their sigil, "#" assumed when none). */
  in: string[];
  hasFile: boolean;
  hasLink: boolean;
  /** ISO-8601 bounds from `before:`, `after:` and `on:`. */
  before?: string;
  after?: string;
}

const operators = new Set(['from', 'in', 'has', 'before', 'after', 'on']);
/** Something a word index can find: a letter or a digit in it. */
const findable = /[\p{L}\p{N}]/u;
const wordOnly = /^[\p{L}\p{N}\p{M}]+$/u;

/**
 * Reads a query: whitespace separates; `"…"` is a phrase (an unbalanced quote runs to the end); a
 * leading `-` excludes; a trailing `*` on a word asks for a prefix; `key:value` with a known key is an
 * operator (its value may be quoted), any other colon is part of a word. Nothing here is ever passed
 * on as index syntax: the dialects quote each term (store/search/).
 */
export function parseQuery(raw: string): ParsedQuery {
  const q = raw.trim();
  if (q.length > searchLimits.queryMax)
    fail('query_too_long', `Searches are at most ${searchLimits.queryMax} characters.`);
  const parsed: ParsedQuery = { terms: [], from: [], in: [], hasFile: false, hasLink: false };
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i] as string)) {
      i += 1;
      continue;
    }
    let negated = false;
    if (q[i] === '-' && i + 1 < q.length && !/\s/.test(q[i + 1] as string)) {
      negated = true;
      i += 1;
    }
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      const end = close === -1 ? q.length : close;
      addTerm(parsed, q.slice(i + 1, end), false, negated);
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < q.length && !/\s/.test(q[end] as string)) end += 1;
    const word = q.slice(i, end);
    const colon = word.indexOf(':');
    const key = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    if (!negated && operators.has(key)) {
      let value = word.slice(colon + 1);
      if (value.startsWith('"')) {
        // A quoted value may hold spaces: in:"Tech Talk".
        const close = q.indexOf('"', i + colon + 2);
        end = close === -1 ? q.length : close + 1;
        value = q.slice(i + colon + 2, close === -1 ? q.length : close);
      }
      addOperator(parsed, key, value);
      i = end;
      continue;
    }
    const prefix = word.length > 1 && word.endsWith('*');
    addTerm(parsed, prefix ? word.replace(/\*+$/, '') : word, prefix, negated);
    i = end;
  }
  if (parsed.terms.length > searchLimits.termsMax)
    fail('query_too_long', `A search has at most ${searchLimits.termsMax} words and phrases.`);
  return parsed;
}

function addTerm(parsed: ParsedQuery, text: string, prefix: boolean, negated: boolean) {
  // "*", "NEAR(", "!!!": nothing a word index holds, so nothing to look for.
  if (!findable.test(text)) return;
  const trimmed = text.trim().replace(/\s+/g, ' ');
  // A prefix needs a plain word before the "*"; anything else is looked for as typed.
  parsed.terms.push({ text: trimmed, prefix: prefix && wordOnly.test(trimmed), negated });
}

function addOperator(parsed: ParsedQuery, key: string, value: string) {
  const v = value.trim();
  if (!v) return;
  if (key === 'from') parsed.from.push(v.replace(/^@/, '').toLowerCase());
  else if (key === 'in') parsed.in.push(/^[#@]/.test(v) ? v.toLowerCase() : `#${v.toLowerCase()}`);
  else if (key === 'has') {
    const what = v.toLowerCase();
    if (what === 'file' || what === 'files') parsed.hasFile = true;
    else if (what === 'link' || what === 'links') parsed.hasLink = true;
    else throw new AppError('validation_failed', `"has:${v}": search knows has:file and has:link.`);
  } else {
    const day = dayOf(v, key);
    if (key === 'before') parsed.before = earliest(parsed.before, day.start);
    else if (key === 'after') parsed.after = latest(parsed.after, day.end);
    else {
      parsed.after = latest(parsed.after, day.start);
      parsed.before = earliest(parsed.before, day.end);
    }
  }
}

/**
 * A date as typed in an operator or a parameter: a day (YYYY-MM-DD, a UTC day) or a full ISO time.
 * `start` and `end` bound it; for a full time both are that instant.
 */
export function dayOf(value: string, what: string): { start: string; end: string } {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = day ? Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : Date.parse(value);
  const valid =
    Number.isFinite(time) &&
    (!day || new Date(time).toISOString().slice(0, 10) === value) &&
    time > Date.UTC(1970, 0, 1) &&
    time < Date.UTC(10000, 0, 1);
  if (!valid)
    throw new AppError('validation_failed', `"${what}:" takes a date such as 2026-01-31, not "${value}".`);
  const start = new Date(time).toISOString();
  return { start, end: day ? new Date(time + 86_400_000).toISOString() : start };
}

const earliest = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
const latest = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);
