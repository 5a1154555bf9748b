import { memo, useId, useState } from 'react';
import { isEmojiOnly } from '../../lib/linkify';
import { isLong } from './markdown';
import { useMarkdown } from './markdownLoader';
import { PlainText } from './PlainText';

/**
 * A message's Markdown as React elements. `@names` are marked, a mention of the reader (`me`, and
 * @room/@here when `group`) more strongly. Long messages are folded behind "Show more". Until the
 * renderer's chunk has arrived, the words show as typed.
 */
export const MessageMarkdown = memo(function MessageMarkdown({
  text,
  me = '',
  group = false,
}: {
  text: string;
  me?: string;
  group?: boolean;
}) {
  const id = useId();
  const { Body } = useMarkdown();
  const long = isLong(text);
  const [open, setOpen] = useState(false);
  const classes = ['message-text', 'markdown', isEmojiOnly(text) && 'emoji-only', long && !open && 'folded'];
  return (
    <>
      <div className={classes.filter(Boolean).join(' ')} id={id}>
        {Body ? <Body text={text} me={me} group={group} /> : <PlainText text={text} me={me} group={group} />}
      </div>
      {long ? (
        <button
          type="button"
          className="link-button fold"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Show less' : 'Show more'}
        </button>
      ) : null}
    </>
  );
});
