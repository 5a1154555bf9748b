/** A piece of a message's text: plain, or an `@name` (`self`: it names the reader, or the whole room). */
export type MentionPart = { kind: 'text'; text: string } | { kind: 'mention'; text: string; self: boolean };

// As the server reads mentions: "@name" not inside a word or an address.
const pattern = /(?<![\w@.+-])@([A-Za-z0-9_.-]{1,32})/g;

/** Splits text at its `@mentions`; `myName` is the reader's username, `group` whether @room/@here counted. */
export function splitMentions(text: string, myName: string, group: boolean): MentionPart[] {
  if (!text.includes('@')) return [{ kind: 'text', text }];
  const parts: MentionPart[] = [];
  const me = myName.toLowerCase();
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const raw = match[1] as string;
    // "@ana." ends a sentence: the dot is not part of the name.
    const name = raw.toLowerCase() === me ? raw : raw.replace(/[.-]+$/, '');
    const start = match.index;
    const lower = name.toLowerCase();
    const self = lower === me || (group && (lower === 'room' || lower === 'here'));
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'mention', text: `@${name}`, self });
    last = start + 1 + name.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
