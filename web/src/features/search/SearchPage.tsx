import type { SearchResult, SearchRoom } from '@parley/protocol';
import { useEffect } from 'react';
import { useChat } from '../../components/ChatContext';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { DrawerButton } from '../../components/room/DrawerButton';
import { formatFull } from '../../lib/format';
import { hrefOf, paths } from '../../routes/paths';
import { useStore } from '../../state/store';
import { decodeSpec } from './address';
import { Highlighted } from './Highlighted';
import { SearchForm } from './SearchForm';
import { groupByRoom, loadMoreResults, runSearch, searchStore } from './state';

/** The results of a search, grouped by room; each opens its room at the message, marked. */
export function SearchPage({
  encoded,
  onOpenDrawer,
}: {
  encoded: string | undefined;
  onOpenDrawer: () => void;
}) {
  const chat = useChat();
  const store = searchStore(chat);
  const state = useStore(store, (s) => s);
  const spec = decodeSpec(encoded);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the address is the search
  useEffect(() => {
    if (spec.q.trim() || spec.from || spec.roomId) void runSearch(chat, spec);
  }, [chat, encoded]);

  const groups = groupByRoom(state.results);
  return (
    <main className="room search-page" aria-label="Search results">
      <header className="room-header">
        <DrawerButton onClick={onOpenDrawer} />
        <h2 className="room-title">Search</h2>
        <ConnectionStatus />
      </header>
      <div className="search-body">
        <SearchForm key={encoded} spec={spec} />
        <p className="search-status muted" role="status">
          {statusText(state.loading, state.error, state.results.length, state.cursor !== undefined)}
          {state.indexing ? ' Older messages are still being indexed; some may be missing.' : null}
        </p>
        {groups.map((group) => (
          <section
            key={group.room.id}
            className="search-group"
            aria-label={`Results in ${labelOf(group.room)}`}
          >
            <h3>
              {group.room.kind === 'dm' ? labelOf(group.room) : `#${group.room.name}`}
              {group.room.joined ? null : <span className="muted small-text"> · not joined</span>}
            </h3>
            <ol>
              {group.results.map((result) => (
                <li key={`${result.message.roomId}:${result.message.seq}`}>
                  <a className="search-result" href={hrefOf(linkOf(result))}>
                    <span className="search-meta">
                      <strong>{result.message.author.displayName ?? result.message.author.username}</strong>{' '}
                      {result.message.author.displayName ? (
                        <span className="author-username">@{result.message.author.username}</span>
                      ) : null}{' '}
                      <time dateTime={result.message.createdAt} className="muted small-text">
                        {formatFull(result.message.createdAt)}
                      </time>
                    </span>
                    <Highlighted text={result.message.text} highlights={result.highlights} />
                  </a>
                </li>
              ))}
            </ol>
          </section>
        ))}
        {state.cursor ? (
          <button
            type="button"
            className="secondary"
            disabled={state.loading}
            onClick={() => void loadMoreResults(chat)}
          >
            {state.loading ? 'Loading…' : 'More results'}
          </button>
        ) : null}
      </div>
    </main>
  );
}

/** A room by its name; a DM by the other person's display name, or their @username. */
function labelOf(room: SearchRoom): string {
  if (room.kind !== 'dm') return room.name;
  return room.peer?.displayName ?? `@${room.name}`;
}

/** A reply that lives only in its thread opens at its thread's root, on the room's timeline. */
function linkOf({ message }: SearchResult): string {
  const seq = message.threadSeq !== undefined && !message.alsoToRoom ? message.threadSeq : message.seq;
  return paths.message(message.roomId, seq);
}

function statusText(loading: boolean, error: string | undefined, count: number, more: boolean): string {
  if (error) return error;
  if (loading && count === 0) return 'Searching…';
  if (count === 0) return 'No messages match.';
  return `${count}${more ? '+' : ''} ${count === 1 ? 'message' : 'messages'} found.`;
}
