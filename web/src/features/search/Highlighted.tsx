import { excerpt, type TextRange } from '@parley/protocol';

/** A result's text, shortened around its first match, with the matched ranges marked. */
export function Highlighted({ text, highlights }: { text: string; highlights: TextRange[] }) {
  const shown = excerpt(text, highlights, 200);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [index, range] of shown.highlights.entries()) {
    if (range.start > at) parts.push(shown.text.slice(at, range.start));
    parts.push(<mark key={index}>{shown.text.slice(range.start, range.end)}</mark>);
    at = range.end;
  }
  parts.push(shown.text.slice(at));
  return (
    <p className="search-excerpt">
      {shown.clippedStart ? '…' : null}
      {parts}
      {shown.clippedEnd ? '…' : null}
    </p>
  );
}
