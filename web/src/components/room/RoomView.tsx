import { useState } from 'react';
import type { RoomFocus } from '../../routes/paths';
import { useChatState } from '../ChatContext';
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

  return (
    <main className="room" aria-label={room ? `Room ${room.name}` : 'Room'}>
      <RoomHeader
        roomId={roomId}
        onOpenDrawer={onOpenDrawer}
        membersShown={showMembers}
        onToggleMembers={() => setShowMembers(!showMembers)}
      />
      <div className="room-body">
        <div className="room-main">
          {error && !room?.joined ? (
            <div className="welcome">
              <p role="alert">{error}</p>
            </div>
          ) : (
            <MessageList roomId={roomId} highlightSeq={focus?.kind === 'message' ? focus.seq : null} />
          )}
          <TypingLine roomId={roomId} />
          {room?.joined ? <Composer roomId={roomId} /> : room ? <JoinBar roomId={roomId} /> : null}
        </div>
        {showMembers && room?.joined ? (
          <MemberPanel roomId={roomId} onClose={() => setShowMembers(false)} />
        ) : null}
      </div>
    </main>
  );
}
