import { splitMentions } from '../../features/attention/mentionText';
import { isEmojiOnly, linkify } from '../../lib/linkify';

/**
 * Renders text as React text nodes only: whatever a person typed (tags, script, "javascript:")
 * reaches the page as characters, and only http(s) URLs become links. `@names` are marked, a mention
 * of the reader (`me`, and @room/@here when `group`) more strongly.
 */
export function MessageText({
  text,
  me = '',
  group = false,
}: {
  text: string;
  me?: string;
  group?: boolean;
}) {
  return (
    <div className={isEmojiOnly(text) ? 'message-text emoji-only' : 'message-text'}>
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
    </div>
  );
}
