import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { chatMarkdown, safeHref } from './markdown';

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

export interface MarkdownBodyProps {
  text: string;
  me: string;
  group: boolean;
}

/** The parser and renderer, in a chunk of their own: see markdownLoader.ts. */
export function MarkdownBody({ text, me, group }: MarkdownBodyProps) {
  return (
    <Markdown
      remarkPlugins={[remarkGfm, chatMarkdown({ me, group }) as never]}
      components={components}
      urlTransform={urlTransform}
    >
      {text}
    </Markdown>
  );
}
