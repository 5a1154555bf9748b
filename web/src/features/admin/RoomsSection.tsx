import type { AdminRoom } from '@parley/protocol';
import { useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { Dialog } from '../../components/dialogs/Dialog';
import { formatFull } from '../../lib/format';
import { hrefOf, paths } from '../../routes/paths';
import type { Chat } from '../../state/chat';
import { Filters, PagedTable } from './Table';
import { adminState, deleteRoom, setRoomArchived } from './state';
import { useList } from './useList';

const filters: Array<[string, string]> = [
  ['all', 'All rooms'],
  ['public', 'Public'],
  ['private', 'Private'],
  ['archived', 'Archived'],
];

export function RoomsSection({ chat }: { chat: Chat }) {
  const list = adminState(chat).rooms;
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('all');
  const state = useList(list, { q: q.trim(), filter });
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<AdminRoom | null>(null);

  return (
    <section aria-label="Rooms">
      <Filters label="Find rooms" q={q} onQ={setQ} filter={filter} filters={filters} onFilter={setFilter} />
      <FormError message={error} />
      <PagedTable
        label="Rooms"
        state={state}
        head={['Room', 'Owner', 'Members', 'Messages', 'Created', 'Actions']}
        empty="No rooms match."
        onMore={() => void list.more()}
        row={(room) => (
          <tr key={room.id} aria-label={room.name}>
            <td>
              <a href={hrefOf(paths.room(room.id))}>
                {room.visibility === 'private' ? '🔒 ' : '#'}
                {room.name}
              </a>
              {room.archived ? <span className="tag">archived</span> : null}
            </td>
            <td>{room.owner?.username ?? '—'}</td>
            <td>{room.memberCount}</td>
            <td>{room.lastSeq}</td>
            <td>{formatFull(room.createdAt)}</td>
            <td className="row-actions">
              <button
                type="button"
                className="secondary small"
                onClick={() => {
                  setError(null);
                  setRoomArchived(chat, room.id, !room.archived).catch((e) => setError(errorText(e)));
                }}
              >
                {room.archived ? 'Unarchive' : 'Archive'}
              </button>
              <button type="button" className="secondary small danger-text" onClick={() => setDeleting(room)}>
                Delete…
              </button>
            </td>
          </tr>
        )}
      />
      {deleting ? (
        <Dialog title={`Delete #${deleting.name}`} onClose={() => setDeleting(null)}>
          <p>
            The room, its {deleting.lastSeq} messages and their files are deleted for its{' '}
            {deleting.memberCount} members. This cannot be undone.
          </p>
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={() => setDeleting(null)}>
              Keep it
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                setError(null);
                deleteRoom(chat, deleting.id)
                  .catch((e) => setError(errorText(e)))
                  .finally(() => setDeleting(null));
              }}
            >
              Delete room
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
