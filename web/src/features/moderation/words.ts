import type { Restriction } from '@parley/protocol';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "until 3 Dec 2026, 14:00", or how long it lasts when it has no end. */
export const untilWords = (until: string | null, open = 'until it is lifted') =>
  until ? `until ${when.format(new Date(until))}` : open;

const reasonWords = (reason: string | null) => (reason ? ` Reason: ${reason}` : '');

/** Why the reader cannot write in a room, in words, with until when and why. */
export function restrictionWords(restriction: Restriction): string {
  switch (restriction.kind) {
    case 'banned':
      return `You are banned from this room ${untilWords(restriction.until)}.${reasonWords(restriction.reason)}`;
    case 'muted':
      return `You are muted in this room ${untilWords(restriction.until)}: you can read but not send.${reasonWords(restriction.reason)}`;
    case 'blocked':
      return 'This person does not accept messages from you.';
  }
}

export const archivedWords = 'This room is archived: it is read-only.';

/** The lengths a moderator picks from for a mute or a ban; null: until lifted. */
export const durations: Array<{ label: string; minutes: number | null }> = [
  { label: '10 minutes', minutes: 10 },
  { label: '1 hour', minutes: 60 },
  { label: '1 day', minutes: 60 * 24 },
  { label: '1 week', minutes: 60 * 24 * 7 },
  { label: 'Until lifted', minutes: null },
];

export const untilAfter = (minutes: number | null, now = Date.now()): string | null =>
  minutes === null ? null : new Date(now + minutes * 60_000).toISOString();
