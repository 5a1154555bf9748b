import type { Room } from '@parley/protocol';
import { type ReactNode, useState } from 'react';
import { errorText } from '../../api/errors';
import { hrefOf, paths } from '../../routes/paths';
import { joinRoom, loadRooms } from '../../state/rooms';
import { Avatar } from '../Avatar';
import { useChat, useChatState } from '../ChatContext';

const shownName = (room: Room) =>
  room.kind === 'dm' ? (room.peer?.displayName ?? room.peer?.username ?? room.name) : room.name;
const byName = (a: Room, b: Room) => shownName(a).localeCompare(shownName(b));

export function RoomList() {
  const chat = useChat();
  const rooms = useChatState((s) => s.rooms);
  const loaded = useChatState((s) => s.roomsLoaded);
  const all = Object.values(rooms);
  const joined = all.filter((r) => r.joined && r.kind === 'room').sort(byName);
  // Seqs count per room, so they cannot order rooms by recency; names give a stable order.
  const dms = all.filter((r) => r.kind === 'dm').sort(byName);
  const discover = all.filter((r) => !r.joined && r.kind === 'room').sort(byName);
  return (
    <div className="room-lists">
      <Section title="Rooms" empty={loaded ? 'No rooms yet: join or create one.' : 'Loading…'}>
        {joined.map((room) => (
          <RoomItem key={room.id} room={room} />
        ))}
      </Section>
      <Section title="Direct messages" empty="Find someone above to start a conversation.">
        {dms.map((room) => (
          <RoomItem key={room.id} room={room} />
        ))}
      </Section>
      <Section
        title="Public rooms to join"
        empty="You are in every public room."
        action={
          <button
            type="button"
            className="icon-button small"
            aria-label="Refresh public rooms"
            title="Refresh"
            onClick={() => void loadRooms(chat)}
          >
            ↻
          </button>
        }
      >
        {discover.map((room) => (
          <JoinItem key={room.id} room={room} />
        ))}
      </Section>
    </div>
  );
}

function Section({
  title,
  empty,
  action,
  children,
}: {
  title: string;
  empty: string;
  action?: ReactNode;
  children: ReactNode[];
}) {
  return (
    <section className="room-section" aria-label={title}>
      <h2>
        {title}
        {action}
      </h2>
      {children.length ? <ul>{children}</ul> : <p className="muted small-text">{empty}</p>}
    </section>
  );
}

function RoomItem({ room }: { room: Room }) {
  const active = useChatState((s) => s.activeRoomId === room.id);
  const peerStatus = useChatState((s) => (room.peer ? (s.presence[room.peer.id] ?? 'offline') : undefined));
  const name = shownName(room);
  const muted = room.notifications?.muted ?? false;
  // A muted room keeps its count quiet (a dim name); a mention of you still shows.
  const unread = muted ? 0 : room.unreadCount;
  const mentions = room.unreadMentions ?? 0;
  const classes = [
    'room-item',
    active && 'active',
    unread && 'unread',
    mentions && 'mentioned',
    muted && 'muted',
  ];
  return (
    <li>
      <a
        href={hrefOf(paths.room(room.id))}
        className={classes.filter(Boolean).join(' ')}
        aria-current={active ? 'page' : undefined}
      >
        {room.kind === 'dm' && room.peer ? (
          <Avatar id={room.peer.id} name={name} src={room.peer.avatar} status={peerStatus} size={24} />
        ) : (
          <span className="room-hash" aria-hidden="true">
            {room.visibility === 'private' ? '🔒' : '#'}
          </span>
        )}
        <span className="room-name">{name}</span>
        {muted ? (
          <span className="muted-mark" title="Muted">
            <span aria-hidden="true">🔕</span>
            <span className="visually-hidden">muted</span>
          </span>
        ) : null}
        {mentions ? (
          <span className="badge mention-badge">
            @{mentions > 99 ? '99+' : mentions}
            <span className="visually-hidden"> {mentions === 1 ? 'mention' : 'mentions'}</span>
          </span>
        ) : null}
        {unread ? (
          <span className="badge">
            {unread > 99 ? '99+' : unread}
            <span className="visually-hidden"> unread</span>
          </span>
        ) : null}
      </a>
    </li>
  );
}

function JoinItem({ room }: { room: Room }) {
  const chat = useChat();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <li className="join-item">
      <span className="room-hash" aria-hidden="true">
        #
      </span>
      <span className="room-name" title={room.description || undefined}>
        {room.name}
        <span className="muted small-text"> · {room.memberCount}</span>
      </span>
      <button
        type="button"
        className="secondary small"
        aria-label={`Join ${room.name}`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await joinRoom(chat, room.id);
          } catch (e) {
            setError(errorText(e));
            setBusy(false);
          }
        }}
      >
        Join
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
