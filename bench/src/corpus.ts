/**
 * A chat-like corpus for the search scenario: a vocabulary of common English words followed by tens of
 * thousands of made-up words, drawn by a Zipf law (rank r with weight 1/r^1.05, as words in text are),
 * so a few words are in most messages and most words in a few dozen. Deterministic: message i is the
 * same on every run and every dialect, and the query sets are drawn from the same law.
 */
const common = `the to and a of i you is it in that for we on this be with have are was do not but can
so what just at if me my all about no will get like up one out there they out your time from know
think now how good see when deploy build test release meeting lunch today tomorrow code review bug fix
merge branch server client issue team call please thanks update ship design doc plan week data user
email chat room search index query page cache queue error log metric alert incident team sprint
ticket draft launch customer sales budget report slide demo window coffee weekend friday monday`
  .split(/\s+/)
  .filter((word, i, all) => word && all.indexOf(word) === i);

const onsets = ['b', 'c', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'st', 'tr'];
const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou'];

export class Corpus {
  readonly words: string[];
  readonly #cdf: Float64Array;

  constructor(invented = 30_000) {
    const seen = new Set(common);
    const words = [...common];
    const random = prng(7);
    while (words.length < common.length + invented) {
      let word = '';
      const syllables = 2 + Math.floor(random() * 3);
      for (let s = 0; s < syllables; s++)
        word += pick(onsets, random) + pick(vowels, random) + (random() < 0.3 ? 'n' : '');
      if (!seen.has(word)) {
        seen.add(word);
        words.push(word);
      }
    }
    this.words = words;
    this.#cdf = new Float64Array(words.length);
    let sum = 0;
    for (let r = 0; r < words.length; r++) {
      sum += 1 / (r + 1) ** 1.05;
      this.#cdf[r] = sum;
    }
    for (let r = 0; r < words.length; r++) this.#cdf[r]! /= sum;
  }

  /** A word's rank drawn from the Zipf law. */
  rank(random: () => number): number {
    const x = random();
    let lo = 0;
    let hi = this.#cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#cdf[mid] ?? 1) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Message `i`: 4 to 24 words, most of them short messages, as chat is. */
  message(i: number): string {
    const random = prng(i + 1000);
    const length = 4 + Math.floor(random() ** 2 * 20);
    const out: string[] = [];
    for (let w = 0; w < length; w++) out.push(this.words[this.rank(random)]!);
    return out.join(' ');
  }
}

const pick = <T>(list: T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

/** mulberry32: small, fast, and the same everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
