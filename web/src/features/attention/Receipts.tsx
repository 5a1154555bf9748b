import type { Message } from '@parley/protocol';
import { type ReactNode, useEffect, useMemo } from 'react';
import { Avatar } from '../../components/Avatar';
import { useChat, useChatState } from '../../components/ChatContext';
import { loadReads, receiptsShown, useAttention } from './state';

/** Sent, delivered or read: the ticks under a message of one's own in a DM. */
function Ticks({ state }: { state: 'sent' | 'delivered' | 'read' }) {
  const words = { sent: 'Sent', delivered: 'Delivered', read: 'Read' }[state];
  return (
    <span className={`ticks ${state}`} title={words}>
      <span aria-hidden="true">{state === 'sent' ? '✓' : '✓✓'}</span>
      <span className="receipt-words">{words}</span>
    </span>
  );
}

function SeenBy({ people }: { people: { id: string; username: string }[] }) {
  const names = people.map((p) => p.username).join(', ');
  return (
    <span className="seen-by" title={`Seen by ${names}`}>
      <span className="visually-hidden">Seen by {names}</span>
      {people.slice(0, 5).map((person) => (
        <Avatar key={person.id} id={person.id} name={person.username} size={16} />
      ))}
      {people.length > 5 ? <span className="muted small-text">+{people.length - 5}</span> : null}
    </span>
  );
}

/**
 * What goes under each message of the open room: in a DM the ticks of one's own messages (sent →
 * delivered → read); in a small group the faces of those whose read position is at that message.
 * Read positions count thread replies too: a face sits at the last main-timeline message up to it.
 */
export function useReceipts(roomId: string, messages: Message[]): Map<number, ReactNode> {
  const chat = useChat();
  const room = useChatState((s) => s.rooms[roomId]);
  const members = useChatState((s) => s.members[roomId]);
  const connected = useChatState((s) => s.connection === 'connected');
  const reads = useAttention(chat, (s) => s.reads[roomId]);
  const shown = receiptsShown(room);
  const me = chat.me.id;

  useEffect(() => {
    if (shown && connected) void loadReads(chat, roomId);
  }, [chat, roomId, shown, connected]);

  return useMemo(() => {
    const marks = new Map<number, ReactNode>();
    if (!shown || !reads || !room) return marks;
    // The main timeline (not replies kept in their threads), as protocol's inMainTimeline reads it; that
    // module's schemas would bring zod into the bundle.
    const timeline = messages.filter((m) => (m.threadSeq === undefined || m.alsoToRoom) && !m.deleted);
    if (room.kind === 'dm') {
      const peer = room.peer ? reads[room.peer.id] : undefined;
      for (const m of timeline) {
        if (m.author.id !== me) continue;
        const state =
          (peer?.seq ?? 0) >= m.seq ? 'read' : (peer?.delivered ?? 0) >= m.seq ? 'delivered' : 'sent';
        marks.set(m.seq, <Ticks state={state} />);
      }
      return marks;
    }
    const names = new Map((members ?? []).map((m) => [m.id, m.username]));
    const at = new Map<number, { id: string; username: string }[]>();
    for (const [userId, position] of Object.entries(reads)) {
      if (userId === me || position.seq === undefined || position.seq === 0) continue;
      const seen = position.seq;
      let last: Message | undefined;
      for (const m of timeline) if (m.seq <= seen) last = m;
      const username = names.get(userId);
      if (!last || !username) continue;
      const list = at.get(last.seq) ?? [];
      list.push({ id: userId, username });
      at.set(last.seq, list);
    }
    for (const [seq, people] of at) marks.set(seq, <SeenBy people={people} />);
    return marks;
  }, [shown, reads, room, messages, members, me]);
}
