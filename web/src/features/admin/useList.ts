import { useEffect, useState } from 'react';
import { useStore } from '../../state/store';
import type { Query } from './api';
import type { PagedList } from './paged';

/**
 * A list's rows for the filters on screen: typing in the search box reloads after a pause, so a
 * word typed fast is one request, not one per letter.
 */
export function useList<T extends { id: string }>(list: PagedList<T>, query: Query, delayMs = 250) {
  const state = useStore(list.store, (s) => s);
  const key = JSON.stringify(query);
  const [first, setFirst] = useState(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query's text is its identity
  useEffect(() => {
    const timer = setTimeout(() => void list.load(query), first ? 0 : delayMs);
    setFirst(false);
    return () => clearTimeout(timer);
  }, [list, key]);
  return state;
}
