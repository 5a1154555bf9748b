import { isEmojiOnly, linkify } from '../../lib/linkify';

/**
 * Renders text as React text nodes only: whatever a person typed (tags, script, "javascript:")
 * reaches the page as characters, and only http(s) URLs become links.
 */
export function MessageText({ text }: { text: string }) {
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
          <span key={index}>{part.text}</span>
        ),
      )}
    </div>
  );
}
