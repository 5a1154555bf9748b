/**
 * A search as an address (`#/search/ENCODED`), so Back returns to the results from a message they led
 * to and a search can be bookmarked. One path segment holds the query and its filters, URL-encoded.
 */
export interface SearchSpec {
  q: string;
  roomId?: string;
  from?: string;
  after?: string;
  before?: string;
  sort?: 'newest' | 'relevance';
  /** Include public rooms the reader has not joined. */
  everywhere?: boolean;
}

const keys = ['q', 'roomId', 'from', 'after', 'before', 'sort'] as const;

/** The parameters of `GET /api/search` for a search (without paging). */
export function toParams(spec: SearchSpec): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = spec[key]?.trim();
    if (value) params.set(key, value);
  }
  if (spec.everywhere) params.set('public', 'true');
  return params;
}

export const encodeSpec = (spec: SearchSpec): string => encodeURIComponent(toParams(spec).toString());

export function decodeSpec(segment: string | undefined): SearchSpec {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(decodeURIComponent(segment ?? ''));
  } catch {
    params = new URLSearchParams();
  }
  const sort = params.get('sort');
  return {
    q: params.get('q') ?? '',
    roomId: params.get('roomId') ?? undefined,
    from: params.get('from') ?? undefined,
    after: params.get('after') ?? undefined,
    before: params.get('before') ?? undefined,
    sort: sort === 'relevance' ? 'relevance' : undefined,
    everywhere: params.get('public') === 'true',
  };
}

export const sameSpec = (a: SearchSpec, b: SearchSpec) => encodeSpec(a) === encodeSpec(b);
