// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.
import type { TextRange } from './search.js';

/**
 * A window of `text` of about `width` characters around its first highlight, with the highlights
 * that fall in it moved to the window's offsets. For result lists: the whole message may be long.
 */
export function excerpt(
  text: string,
  highlights: TextRange[],
  width = 160,
): { text: string; highlights: TextRange[]; clippedStart: boolean; clippedEnd: boolean } {
  if (text.length <= width) return { text, highlights, clippedStart: false, clippedEnd: false };
  const first = highlights[0]?.start ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  // Start at a word boundary when one is near, so the window does not open mid-word.
  const space = text.lastIndexOf(' ', start);
  if (start > 0 && space >= 0 && start - space < 20) start = space + 1;
  const end = Math.min(text.length, start + width);
  return {
    text: text.slice(start, end),
    highlights: highlights
      .filter((range) => range.start < end && range.end > start)
      .map((range) => ({
        start: Math.max(range.start, start) - start,
        end: Math.min(range.end, end) - start,
      })),
    clippedStart: start > 0,
    clippedEnd: end < text.length,
  };
}
