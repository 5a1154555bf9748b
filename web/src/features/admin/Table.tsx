import type { ReactNode } from 'react';
import type { PagedState } from './paged';

/** A table of one admin list, with its status line and the next page's button. */
export function PagedTable<T>({
  label,
  state,
  head,
  row,
  empty,
  onMore,
}: {
  label: string;
  state: PagedState<T>;
  head: string[];
  row: (item: T) => ReactNode;
  empty: string;
  onMore: () => void;
}) {
  return (
    <>
      {state.error ? (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="admin-table" aria-label={label}>
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{state.items.map(row)}</tbody>
        </table>
      </div>
      <p className="muted small-text" role="status">
        {state.loading ? 'Loading…' : state.items.length === 0 ? empty : null}
      </p>
      {state.cursor ? (
        <button type="button" className="secondary" disabled={state.loading} onClick={onMore}>
          Next page
        </button>
      ) : null}
    </>
  );
}

/** A search box and a filter above a table; the list reloads as they change. */
export function Filters({
  label,
  q,
  onQ,
  filter,
  filters,
  onFilter,
}: {
  label: string;
  q: string;
  onQ: (q: string) => void;
  filter: string;
  filters: Array<[string, string]>;
  onFilter: (filter: string) => void;
}) {
  return (
    <div className="admin-filters">
      <input
        type="search"
        aria-label={label}
        placeholder={label}
        value={q}
        maxLength={64}
        onChange={(e) => onQ(e.target.value)}
      />
      <select aria-label="Show" value={filter} onChange={(e) => onFilter(e.target.value)}>
        {filters.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
