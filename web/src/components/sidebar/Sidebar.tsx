import { useState } from 'react';
import type { Session } from '../../state/session';
import { CreateRoomDialog } from '../dialogs/CreateRoomDialog';
import { SearchBox } from '../../features/search/SearchBox';
import { PeopleSearch } from './PeopleSearch';
import { RoomList } from './RoomList';
import { UserMenu } from './UserMenu';

export function Sidebar({
  onSessionChange,
  onClose,
}: {
  onSessionChange: (session: Session) => void;
  onClose: () => void;
}) {
  const [creating, setCreating] = useState(false);
  return (
    <nav className="sidebar" aria-label="Rooms and people">
      <div className="sidebar-header">
        <span className="brand small">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          Parley
        </span>
        <button type="button" className="secondary small" onClick={() => setCreating(true)}>
          New room
        </button>
        <button
          type="button"
          className="icon-button drawer-close"
          aria-label="Close the room list"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      <SearchBox />
      <PeopleSearch />
      <RoomList />
      <UserMenu onSessionChange={onSessionChange} />
      {creating ? <CreateRoomDialog onClose={() => setCreating(false)} /> : null}
    </nav>
  );
}
