import type { SearchResult } from '@parley/protocol';
import { errorText } from '../../api/errors';
import { searchMessages } from '../../api/search';
import type { Chat } from '../../state/chat';
import { Store } from '../../state/store';
import { type SearchSpec, sameSpec, toParams } from './address';

export interface SearchState {
  /** The search the results are for. */
  spec: SearchSpec | null;
  results: SearchResult[];
  cursor?: string;
  loading: boolean;
  error?: string;
  /** The server is still indexing older messages: some may be missing. */
  indexing: boolean;
}

const initial: SearchState = { spec: null, results: [], loading: false, indexing: false };

// One search state per signed-in session: a new sign-in starts with none of the last one's results.
const stores = new WeakMap<Chat, Store<SearchState>>();

export function searchStore(chat: Chat): Store<SearchState> {
  let store = stores.get(chat);
  if (!store) {
    store = new Store<SearchState>(initial);
    stores.set(chat, store);
  }
  return store;
}

/** Runs a search, unless its results are already held (coming Back to them from a message). */
export async function runSearch(chat: Chat, spec: SearchSpec): Promise<void> {
  const store = searchStore(chat);
  const current = store.get();
  if (current.spec && sameSpec(current.spec, spec) && !current.error) return;
  store.set(() => ({ ...initial, spec, loading: true }));
  await fetchPage(chat, spec);
}

/** The next page of the current search. */
export async function loadMoreResults(chat: Chat): Promise<void> {
  const { spec, cursor, loading } = searchStore(chat).get();
  if (!spec || !cursor || loading) return;
  searchStore(chat).set((s) => ({ ...s, loading: true }));
  await fetchPage(chat, spec, cursor);
}

async function fetchPage(chat: Chat, spec: SearchSpec, cursor?: string): Promise<void> {
  const store = searchStore(chat);
  const params = toParams(spec);
  if (cursor) params.set('cursor', cursor);
  try {
    const reply = await searchMessages(params);
    store.set((s) =>
      s.spec !== spec
        ? s
        : {
            ...s,
            loading: false,
            results: cursor ? [...s.results, ...reply.results] : reply.results,
            cursor: reply.cursor,
            indexing: reply.indexing === true,
          },
    );
  } catch (error) {
    store.set((s) => (s.spec !== spec ? s : { ...s, loading: false, error: errorText(error) }));
  }
}

/** Results grouped by room, rooms in the order their newest (or best) result came. */
export function groupByRoom(
  results: SearchResult[],
): { room: SearchResult['room']; results: SearchResult[] }[] {
  const groups = new Map<string, { room: SearchResult['room']; results: SearchResult[] }>();
  for (const result of results) {
    const group = groups.get(result.room.id) ?? { room: result.room, results: [] };
    group.results.push(result);
    groups.set(result.room.id, group);
  }
  return [...groups.values()];
}
