import { memo, useId, useState } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { isEmojiOnly } from '../../lib/linkify';
import { chatMarkdown, isLong, safeHref } from './markdown';

// Links open beside the chat; the URL was already checked (markdown.ts), checked again here.
const components: Components = {
  a: ({ href, children }) => {
    const safe = href ? safeHref(href) : null;
    return safe ? (
      <a href={safe} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    );
  },
};

// react-markdown builds React elements from the syntax tree; with no rehype-raw, no HTML string ever
// reaches the DOM, and chatMarkdown turns what HTML was typed into text before that.
const urlTransform = (url: string) => safeHref(url) ?? '';

/**
 * A message's Markdown as React elements. `@names` are marked, a mention of the reader (`me`, and
 * @room/@here when `group`) more strongly. Long messages are folded behind "Show more".
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
  const long = isLong(text);
  const [open, setOpen] = useState(false);
  const classes = ['message-text', 'markdown', isEmojiOnly(text) && 'emoji-only', long && !open && 'folded'];
  return (
    <>
      <div className={classes.filter(Boolean).join(' ')} id={id}>
        <Markdown
          remarkPlugins={[remarkGfm, chatMarkdown({ me, group }) as never]}
          components={components}
          urlTransform={urlTransform}
        >
          {text}
        </Markdown>
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
