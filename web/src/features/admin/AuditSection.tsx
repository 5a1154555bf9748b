import type { AuditEntry } from '@parley/protocol';
import { useId, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { formatFull } from '../../lib/format';
import type { Chat } from '../../state/chat';
import type { Query } from './api';
import { PagedTable } from './Table';
import { adminState, downloadAuditCsv } from './state';
import { useList } from './useList';

/** Action families the log filters by (the server matches an action and everything under it). */
const actions: Array<[string, string]> = [
  ['', 'Every action'],
  ['user', 'Accounts (user.…)'],
  ['room', 'Rooms (room.…)'],
  ['room.ban', 'Bans'],
  ['room.mute', 'Mutes'],
  ['room.remove', 'Removals'],
  ['invite', 'Invites'],
  ['settings', 'Settings'],
  ['report', 'Reports'],
];

/** A date input's day, as the start (or the end) of that day where the reader is. */
const dayBound = (day: string, end: boolean) =>
  day ? new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined;

function targetText(entry: AuditEntry): string {
  if (!entry.target) return '—';
  return entry.target.type === 'user' ? entry.target.name : `${entry.target.type} ${entry.target.name}`;
}

export function AuditSection({ chat }: { chat: Chat }) {
  const list = adminState(chat).audit;
  const id = useId();
  const [action, setAction] = useState('');
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const query: Query = { action, q: q.trim(), from: dayBound(from, false), to: dayBound(to, true) };
  const state = useList(list, query);

  return (
    <section aria-label="Audit log">
      <div className="admin-filters">
        <input
          type="search"
          aria-label="Who (actor or target)"
          placeholder="Who (actor or target)"
          maxLength={64}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <select aria-label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
          {actions.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            setError(null);
            downloadAuditCsv(query).catch((e) => setError(errorText(e)));
          }}
        >
          Export CSV
        </button>
      </div>
      <FormError message={error} />
      <PagedTable
        label="Audit log"
        state={state}
        head={['When', 'Who', 'Action', 'Whom', 'Room', 'Reason', 'Outcome']}
        empty="Nothing recorded for these filters."
        onMore={() => void list.more()}
        row={(entry) => (
          <tr key={entry.id} data-outcome={entry.outcome}>
            <td>{formatFull(entry.at)}</td>
            <td>{entry.actor?.username ?? 'the server'}</td>
            <td>
              <code>{entry.action}</code>
            </td>
            <td>{targetText(entry)}</td>
            <td>{entry.room ? `#${entry.room.name}` : '—'}</td>
            <td>{entry.reason ?? (typeof entry.detail?.why === 'string' ? entry.detail.why : '—')}</td>
            <td>{entry.outcome === 'refused' ? 'Refused' : 'Done'}</td>
          </tr>
        )}
      />
    </section>
  );
}
