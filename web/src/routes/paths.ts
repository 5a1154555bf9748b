import { navigate } from 'wouter/use-hash-location';

/**
 * The client's addresses. They live in the URL's fragment (`…/#/rooms/ID`), never in its path: the
 * built client is a static site with relative asset paths that may be hosted anywhere, at any path, by
 * a host that knows nothing of client routes. A fragment never reaches the server, so a link to a room
 * or a message opens the same index.html on every host, and a path-based address would also load
 * `./assets/…` relative to `/rooms/ID/` and miss. Every page of the app registers its pattern here.
 */
export const patterns = {
  /** A room and what is open beside it: `/rooms/ID`, `/rooms/ID/messages/SEQ`, … */
  room: '/rooms/:roomId/*?',
  /** Message search (issue 12): `/search/QUERY` (the query and its filters, encoded; features/search). */
  search: '/search/:spec?',
  /** Account settings (issue 14): `/settings`, `/settings/SECTION`. */
  settings: '/settings/*?',
  /** Links from mails and admins (issue 14), opened signed in or not. */
  resetPassword: '/reset-password/:token',
  verifyEmail: '/verify-email/:token',
  forgotPassword: '/forgot-password',
  /** The admin area (issue 13): `/admin`, `/admin/SECTION`. */
  admin: '/admin/*?',
  /** The moderators' queue of reported messages (issue 13): `/reports`, `/reports/STATUS`. */
  reports: '/reports/:status?',
} as const;

const room = (roomId: string) => `/rooms/${encodeURIComponent(roomId)}`;

export const paths = {
  home: () => '/',
  room,
  /** A room opened at one message, which is shown highlighted. */
  message: (roomId: string, seq: number) => `${room(roomId)}/messages/${seq}`,
  /** A room with the thread of message `seq` open beside it. */
  thread: (roomId: string, seq: number) => `${room(roomId)}/threads/${seq}`,
  /** A search; `spec` is already encoded (features/search/address.ts). */
  search: (spec: string) => `/search/${spec}`,
  settings: (section?: string) => (section ? `/settings/${encodeURIComponent(section)}` : '/settings'),
  admin: (section?: string) => (section ? `/admin/${encodeURIComponent(section)}` : '/admin'),
  reports: (status?: string) => (status ? `/reports/${encodeURIComponent(status)}` : '/reports'),
};

/** An href for an address: relative to this page, so it works wherever the client is hosted. */
export const hrefOf = (path: string): string => `#${path}`;

/** What a room's address says is open in it, besides the timeline. */
export type RoomFocus = { kind: 'message' | 'thread'; seq: number } | null;

/** Reads the part of a room's address after `/rooms/ID` (wouter's wildcard). */
export function parseRoomFocus(rest: string | undefined): RoomFocus {
  const parts = (rest ?? '').split('/').filter(Boolean);
  const seq = Number(parts[1]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  if (parts[0] === 'messages') return { kind: 'message', seq };
  if (parts[0] === 'threads') return { kind: 'thread', seq };
  return null;
}

/** The room an address names, read straight from the location (for state built before React renders). */
export function roomIdInLocation(): string | null {
  const match = /^#\/rooms\/([^/?]+)/.exec(location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

/**
 * Goes to an address and adds it to the history, so Back returns. Going where the reader already is
 * adds nothing. `replace` swaps the current entry (a redirect, a room that went away).
 */
export function goTo(path: string, options: { replace?: boolean } = {}): void {
  if (currentPath() === path) return;
  navigate(path, options);
}

export const currentPath = (): string => `/${location.hash.replace(/^#?\/?/, '')}`;

/** A full URL for an address, for "copy link": this page's URL with the address as its fragment. */
export function absoluteUrl(path: string): string {
  const url = new URL(location.href);
  url.hash = path;
  return url.href;
}

/** Links made before the router (`#room=ID`) keep working: they become `#/rooms/ID`. */
export function upgradeLegacyAddress(): void {
  const match = /^#room=(.+)$/.exec(location.hash);
  if (!match) return;
  let roomId: string;
  try {
    roomId = decodeURIComponent(match[1]!);
  } catch {
    return;
  }
  history.replaceState(history.state, '', absoluteUrl(room(roomId)));
}
