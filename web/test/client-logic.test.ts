import { type Message, presenceLimits } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { buildItems } from '../src/components/room/timelineItems';
import { isEmojiOnly, linkify } from '../src/lib/linkify';
import { shownPeople } from '../src/state/presence';
import { mergeMessages } from '../src/state/timeline';
import { describeTyping } from '../src/state/typing';
import { type ChatState, emptyTimeline } from '../src/state/types';

const ana = { id: 'u-ana', username: 'ana' };
const bo = { id: 'u-bo', username: 'bo' };

function message(
  seq: number,
  author = ana,
  createdAt = `2026-11-20T10:0${Math.min(seq, 9)}:00.000Z`,
): Message {
  return {
    id: `m${seq}`,
    roomId: 'r1',
    seq,
    rev: seq,
    author,
    text: `text ${seq}`,
    createdAt,
    reactions: [],
    mentions: [],
    files: [],
  };
}

describe('merging messages by seq', () => {
  it('appends newer messages and keeps the list ascending', () => {
    const merged = mergeMessages([message(1), message(2)], [message(3), message(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('drops a message whose seq it already holds, whichever path brought it', () => {
    const held = [message(1), message(2), message(3)];
    expect(mergeMessages(held, [message(2), message(3)])).toBe(held);
    expect(mergeMessages(held, [message(3), message(4), message(4)]).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('puts older pages and out-of-order arrivals in their place', () => {
    const merged = mergeMessages([message(5), message(6)], [message(7), message(2), message(3), message(4)]);
    expect(merged.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6, 7]);
  });
});

describe('linkify', () => {
  it('makes only http and https URLs into links, without trailing punctuation', () => {
    expect(linkify('see https://example.org/a?b=1. and http://x.test/y)')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: '. and ' },
      { kind: 'link', text: 'http://x.test/y', href: 'http://x.test/y' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('leaves javascript:, data: and markup as plain text', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '<a href="x">x</a>',
    ]) {
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('keeps parentheses that belong to the URL', () => {
    const parts = linkify('https://en.wikipedia.org/wiki/Chat_(software)');
    expect(parts).toEqual([
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Chat_(software)',
        href: 'https://en.wikipedia.org/wiki/Chat_(software)',
      },
    ]);
  });

  it('recognises a message made only of emoji', () => {
    expect(isEmojiOnly('🎉')).toBe(true);
    expect(isEmojiOnly('👍🏽 ❤️')).toBe(true);
    expect(isEmojiOnly('ok 👍')).toBe(false);
    expect(isEmojiOnly('123')).toBe(false);
  });
});

describe('who is typing', () => {
  it('summarises one, two, three and many typists', () => {
    expect(describeTyping([])).toBe('');
    expect(describeTyping(['Ana'])).toBe('Ana is typing…');
    expect(describeTyping(['Ana', 'Bo'])).toBe('Ana and Bo are typing…');
    expect(describeTyping(['Ana', 'Bo', 'Cy'])).toBe('Ana, Bo and Cy are typing…');
    expect(describeTyping(['Ana', 'Bo', 'Cy', 'Di', 'Ed'])).toBe('Ana, Bo and 3 others are typing…');
  });
});

describe('laying out a timeline', () => {
  it('groups consecutive messages by author and starts a new group for another author', () => {
    const timeline = { ...emptyTimeline, messages: [message(1), message(2), message(3, bo), message(4)] };
    const items = buildItems(timeline, [], ana.id).filter((i) => i.kind === 'message');
    expect(items.map((i) => (i.kind === 'message' ? i.continued : null))).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it('puts a divider at each new day and the unread marker before the first unread message', () => {
    const timeline = {
      ...emptyTimeline,
      firstUnreadSeq: 3,
      messages: [
        message(1, ana, '2026-11-19T10:00:00.000Z'),
        message(2, ana, '2026-11-20T10:00:00.000Z'),
        message(3, bo, '2026-11-20T10:01:00.000Z'),
      ],
    };
    const kinds = buildItems(timeline, [], ana.id).map((i) => i.kind);
    expect(kinds).toEqual(['day', 'message', 'day', 'message', 'unread', 'message']);
  });

  it('shows pending sends after the confirmed messages', () => {
    const timeline = { ...emptyTimeline, messages: [message(1)] };
    const pending = [
      { clientId: 'c1', roomId: 'r1', text: 'on its way', createdAt: '2026-11-20T10:02:00.000Z' },
    ];
    const items = buildItems(timeline, pending, ana.id);
    expect(items.at(-1)).toMatchObject({ kind: 'pending', continued: true });
  });
});

describe('the people a tab watches', () => {
  const room = (id: string, peer: { id: string; username: string } | null) =>
    ({ id, kind: peer ? 'dm' : 'room', peer }) as unknown as ChatState['rooms'][string];
  const member = (id: string) => ({ id, username: id, role: 'member', online: false, guest: false }) as const;
  const state = (activeRoomId: string | null, members: Record<string, ReturnType<typeof member>[]>) =>
    ({
      me: { id: 'u-me' },
      activeRoomId,
      rooms: { d1: room('d1', bo), r1: room('r1', null), r2: room('r2', null) },
      members,
    }) as unknown as ChatState;

  it('are the other side of each DM and the open room’s loaded members, never oneself', () => {
    const s = state('r1', { r1: [member('u-me'), member('u-cy')], r2: [member('u-dee')] });
    expect(shownPeople(s)).toEqual(['u-bo', 'u-cy']);
    expect(shownPeople({ ...s, activeRoomId: null })).toEqual(['u-bo']);
  });

  it('stop at the server’s limit however many members a room has loaded', () => {
    const many = Array.from({ length: 1500 }, (_, i) => member(`u-${String(i).padStart(4, '0')}`));
    expect(shownPeople(state('r1', { r1: many }))).toHaveLength(presenceLimits.watchMax);
  });
});
