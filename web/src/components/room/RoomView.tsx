import { useEffect, useRef, useState } from 'react';
import { DropZone } from '../../features/files/DropZone';
import { useMarkdown } from '../../features/messages/markdownLoader';
import { PinsPanel } from '../../features/messages/PinsPanel';
import { ThreadPanel } from '../../features/messages/ThreadPanel';
import { goTo, paths, type RoomFocus } from '../../routes/paths';
import { showMessage } from '../../state/rooms';
import { useChat, useChatState } from '../ChatContext';
import { isRestricted, RestrictionNotice } from '../../features/moderation/RestrictionNotice';
import { Composer } from './Composer';
import { JoinBar } from './JoinBar';
import { MemberPanel } from './MemberPanel';
import { MessageList } from './MessageList';
import { RoomHeader } from './RoomHeader';
import { TypingLine } from './TypingLine';

const wideScreen = () => window.matchMedia('(min-width: 1100px)').matches;

export function RoomView({
  roomId,
  focus,
  onOpenDrawer,
}: {
  roomId: string;
  focus: RoomFocus;
  onOpenDrawer: () => void;
}) {
  const room = useChatState((s) => s.rooms[roomId]);
  const error = useChatState((s) => s.timelines[roomId]?.error);
  const [showMembers, setShowMembers] = useState(wideScreen);
  const [showPins, setShowPins] = useState(false);
  const chat = useChat();
  // The list places the reader (at the bottom, the unread marker, a linked message) from the heights
  // it first renders: it waits for the Markdown renderer, which is usually there before the messages.
  const { settled: rendererReady } = useMarkdown();
  const focusSeq = focus?.kind === 'message' ? focus.seq : null;
  // One panel beside the room at a time: a thread gives way to the one asked for.
  const closeThread = () => focus?.kind === 'thread' && goTo(paths.room(roomId));
  const ready = useChatState((s) => {
    const t = s.timelines[roomId];
    return t !== undefined && !t.loading && !t.error;
  });
  // A link to a message the timeline does not hold loads the page around it, once per link.
  const fetchedFor = useRef<number | null>(null);
  useEffect(() => {
    if (!ready || focusSeq === null || fetchedFor.current === focusSeq) return;
    fetchedFor.current = focusSeq;
    void showMessage(chat, roomId, focusSeq);
  }, [chat, roomId, focusSeq, ready]);

  return (
    <main className="room" aria-label={room ? `Room ${room.name}` : 'Room'}>
      <RoomHeader
        roomId={roomId}
        onOpenDrawer={onOpenDrawer}
        membersShown={showMembers}
        onToggleMembers={() => {
          setShowMembers(!showMembers);
          setShowPins(false);
          closeThread();
        }}
        pinsShown={showPins}
        onTogglePins={() => {
          setShowPins(!showPins);
          closeThread();
        }}
      />
      <div className="room-body">
        <DropZone
          roomId={roomId}
          className="room-main"
          enabled={room?.joined === true}
          label={room?.kind === 'dm' ? (room.peer?.username ?? room.name) : `#${room?.name ?? ''}`}
        >
          {error && !room?.joined ? (
            <div className="welcome">
              <p role="alert">{error}</p>
            </div>
          ) : rendererReady ? (
            <MessageList roomId={roomId} highlightSeq={focus?.kind === 'message' ? focus.seq : null} />
          ) : (
            <div className="message-area">
              <p className="muted messages-loading">Loading…</p>
            </div>
          )}
          <TypingLine roomId={roomId} />
          {room && isRestricted(room) ? (
            <RestrictionNotice room={room} />
          ) : room?.joined ? (
            <Composer roomId={roomId} />
          ) : room ? (
            <JoinBar roomId={roomId} />
          ) : null}
        </DropZone>
        {focus?.kind === 'thread' ? (
          <ThreadPanel key={focus.seq} roomId={roomId} seq={focus.seq} />
        ) : showPins ? (
          <PinsPanel roomId={roomId} onClose={() => setShowPins(false)} />
        ) : showMembers && room?.joined ? (
          <MemberPanel roomId={roomId} onClose={() => setShowMembers(false)} />
        ) : null}
      </div>
    </main>
  );
}
