export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Only http(s) becomes a link; "javascript:", "data:" and the rest stay words on the screen.
const urlPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence is rarely part of the URL it follows.
const trailing = /[.,;:!?)\]}]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    let url = match[0];
    const cut = trailing.exec(url);
    if (cut && !(cut[0].startsWith(')') && url.includes('('))) url = url.slice(0, cut.index);
    const href = safeHref(url);
    if (!href) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A message of one to three emoji and nothing else is shown large, as chat apps do. */
export function isEmojiOnly(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 24) return false;
  return /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f|\s){1,12}$/u.test(trimmed);
}
