import { errorText } from '../../api/errors';
import { Store } from '../../state/store';
import type { Query } from './api';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PagedState<T> {
  query: Query;
  items: T[];
  cursor?: string;
  loading: boolean;
  error?: string;
}

/**
 * One admin table: the filters it was loaded with, the rows so far and where the next page starts.
 * A page that arrives for filters that have since changed is dropped.
 */
export class PagedList<T extends { id: string }> {
  readonly store = new Store<PagedState<T>>({ query: {}, items: [], loading: false });

  constructor(private readonly fetchPage: (query: Query) => Promise<Page<T>>) {}

  async load(query: Query): Promise<void> {
    this.store.set(() => ({ query, items: [], loading: true }));
    await this.fetch(query, false);
  }

  async more(): Promise<void> {
    const { query, cursor, loading } = this.store.get();
    if (!cursor || loading) return;
    this.store.set((s) => ({ ...s, loading: true }));
    await this.fetch({ ...query, cursor }, true);
  }

  reload = () => this.load(this.store.get().query);

  replace(item: T): void {
    this.store.set((s) => ({ ...s, items: s.items.map((i) => (i.id === item.id ? item : i)) }));
  }

  prepend(item: T): void {
    this.store.set((s) => ({ ...s, items: [item, ...s.items.filter((i) => i.id !== item.id)] }));
  }

  remove(id: string): void {
    this.store.set((s) => ({ ...s, items: s.items.filter((i) => i.id !== id) }));
  }

  private async fetch(query: Query, append: boolean): Promise<void> {
    const asked = this.store.get().query;
    try {
      const page = await this.fetchPage(query);
      if (this.store.get().query !== asked) return;
      this.store.set((s) => ({
        ...s,
        items: append ? [...s.items, ...page.items] : page.items,
        cursor: page.nextCursor,
        loading: false,
        error: undefined,
      }));
    } catch (error) {
      if (this.store.get().query !== asked) return;
      this.store.set((s) => ({ ...s, loading: false, error: errorText(error) }));
    }
  }
}
