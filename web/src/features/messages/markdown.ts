import { splitMentions } from '../attention/mentionText';

/** The part of a Markdown syntax tree (mdast) this module reads and writes. */
export interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
  data?: { hName?: string; hProperties?: Record<string, unknown> };
}

/** Only these schemes become links; any other link stays the text that was typed. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * What chat Markdown is not: headings, tables, rules, images, footnotes, reference definitions and raw
 * HTML are shown as the characters typed (React escapes them), never as elements.
 */
const asTyped = new Set([
  'html',
  'heading',
  'table',
  'thematicBreak',
  'image',
  'imageReference',
  'linkReference',
  'definition',
  'footnoteDefinition',
  'footnoteReference',
]);
const blocks = new Set(['html', 'heading', 'table', 'thematicBreak', 'definition', 'footnoteDefinition']);
// Mentions are not looked for in code or in a link's words.
const noMentions = new Set(['inlineCode', 'code', 'link']);

/**
 * A remark plugin: narrows parsed Markdown to the subset chat messages use (emphasis, strike, code,
 * code blocks, quotes, lists, links to http(s) and mailto) and marks `@mentions` (`me`: the reader's
 * username; `group`: @room/@here count as the reader).
 */
export function chatMarkdown(options: { me: string; group: boolean }) {
  return () => (tree: MdNode, file: { value: unknown }) => {
    const source = String(file.value);
    const typed = (node: MdNode): string => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      return start === undefined || end === undefined ? (node.value ?? '') : source.slice(start, end);
    };
    const walk = (node: MdNode, parentType: string, mentions: boolean): void => {
      if (!node.children) return;
      node.children = node.children.flatMap((child): MdNode[] => {
        const unsafeLink = child.type === 'link' && safeHref(child.url ?? '') === null;
        if (asTyped.has(child.type) || unsafeLink) {
          const text: MdNode = { type: 'text', value: typed(child) };
          if (!blocks.has(child.type) && parentType !== 'root')
            return mentions ? mark(text.value!, options) : [text];
          const wrapped = paragraph([text]);
          walk(wrapped, 'paragraph', mentions);
          return [wrapped];
        }
        if (child.type === 'text' && mentions) return mark(child.value ?? '', options);
        walk(child, child.type, mentions && !noMentions.has(child.type));
        return [child];
      });
    };
    walk(tree, 'root', true);
  };
}

const paragraph = (children: MdNode[]): MdNode => ({ type: 'paragraph', children });

function mark(text: string, options: { me: string; group: boolean }): MdNode[] {
  return splitMentions(text, options.me, options.group).map((part) =>
    part.kind === 'text'
      ? { type: 'text', value: part.text }
      : {
          type: 'mention',
          data: { hName: 'span', hProperties: { className: part.self ? ['mention', 'self'] : ['mention'] } },
          children: [{ type: 'text', value: part.text }],
        },
  );
}

/** Folded behind "show more": long enough to push a conversation off the screen. */
export const isLong = (text: string): boolean => text.length > 1200 || text.split('\n').length > 16;
