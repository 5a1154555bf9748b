import { splitMentions } from '../attention/mentionText';
import { linkify } from '../../lib/linkify';

/**
 * A message's words as React text nodes only, while the Markdown renderer loads (or when it could not):
 * whatever a person typed reaches the page as characters, only http(s) URLs become links, and `@names`
 * are marked, a mention of the reader (`me`, and @room/@here when `group`) more strongly.
 */
export function PlainText({ text, me, group }: { text: string; me: string; group: boolean }) {
  return (
    <p className="plain-text">
      {linkify(text).map((part, index) =>
        part.kind === 'link' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their position
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their position
          <span key={index}>
            {splitMentions(part.text, me, group).map((piece, i) =>
              piece.kind === 'mention' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: pieces have no identity beyond their position
                <span key={i} className={piece.self ? 'mention self' : 'mention'}>
                  {piece.text}
                </span>
              ) : (
                piece.text
              ),
            )}
          </span>
        ),
      )}
    </p>
  );
}
