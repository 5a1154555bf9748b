import { useId, useState } from 'react';
import { useChatState } from '../../components/ChatContext';
import { goTo, paths } from '../../routes/paths';
import { encodeSpec, type SearchSpec } from './address';

/** The query and its filters: room, person, dates, order, and public rooms not joined. */
export function SearchForm({ spec }: { spec: SearchSpec }) {
  const id = useId();
  const rooms = useChatState((s) => s.rooms);
  const [draft, setDraft] = useState<SearchSpec>(spec);
  const set = (change: Partial<SearchSpec>) => setDraft((d) => ({ ...d, ...change }));
  const joined = Object.values(rooms)
    .filter((room) => room.joined)
    .sort((a, b) => a.name.localeCompare(b.name));

  return (
    <search className="search-form" aria-label="Search and filters">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          goTo(paths.search(encodeSpec(draft)));
        }}
      >
        <div className="search-query">
          <label htmlFor={`${id}q`} className="visually-hidden">
            Search for
          </label>
          <input
            id={`${id}q`}
            type="search"
            value={draft.q}
            placeholder='Words, "a phrase", from:@name, in:#room, has:link'
            onChange={(e) => set({ q: e.target.value })}
          />
          <button type="submit">Search</button>
        </div>
        <div className="search-filters">
          <label>
            Room
            <select value={draft.roomId ?? ''} onChange={(e) => set({ roomId: e.target.value || undefined })}>
              <option value="">All my rooms</option>
              {joined.map((room) => (
                <option key={room.id} value={room.id}>
                  {room.kind === 'dm' ? (room.peer?.displayName ?? `@${room.name}`) : `#${room.name}`}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input
              value={draft.from ?? ''}
              placeholder="username"
              onChange={(e) => set({ from: e.target.value || undefined })}
            />
          </label>
          <label>
            Since
            <input
              type="date"
              value={draft.after ?? ''}
              onChange={(e) => set({ after: e.target.value || undefined })}
            />
          </label>
          <label>
            Before
            <input
              type="date"
              value={draft.before ?? ''}
              onChange={(e) => set({ before: e.target.value || undefined })}
            />
          </label>
          <label>
            Order
            <select
              value={draft.sort ?? 'newest'}
              onChange={(e) => set({ sort: e.target.value === 'relevance' ? 'relevance' : undefined })}
            >
              <option value="newest">Newest first</option>
              <option value="relevance">Best match</option>
            </select>
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.everywhere === true}
              onChange={(e) => set({ everywhere: e.target.checked || undefined })}
            />
            Public rooms I have not joined
          </label>
        </div>
      </form>
    </search>
  );
}
