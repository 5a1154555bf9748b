import type { Invite } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { formatFull } from '../../lib/format';
import type { Chat } from '../../state/chat';
import { PagedTable } from './Table';
import { adminState, createInvite, inviteLink, revokeInvite } from './state';
import { useList } from './useList';

const expiries: Array<[string, string]> = [
  ['24', '1 day'],
  ['168', '7 days'],
  ['720', '30 days'],
  ['', 'Never'],
];

function statusOf(invite: Invite, now = Date.now()): string {
  if (invite.revokedAt) return 'Revoked';
  if (invite.expiresAt && Date.parse(invite.expiresAt) <= now) return 'Expired';
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'Used up';
  return 'Active';
}

export function InvitesSection({ chat }: { chat: Chat }) {
  const list = adminState(chat).invites;
  const state = useList(list, {});
  const id = useId();
  const [expires, setExpires] = useState('168');
  const [maxUses, setMaxUses] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Invite | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const invite = await createInvite(chat, {
        expiresInHours: expires ? Number(expires) : undefined,
        maxUses: maxUses ? Number(maxUses) : undefined,
        note: note.trim() || undefined,
      });
      setCreated(invite);
      setNote('');
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section aria-label="Invites">
      <form className="admin-form inline-fields" onSubmit={create} aria-label="New invite link">
        <div className="field">
          <label htmlFor={`${id}-expires`}>Expires after</label>
          <select id={`${id}-expires`} value={expires} onChange={(e) => setExpires(e.target.value)}>
            {expiries.map(([value, label]) => (
              <option key={label} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-uses`}>Uses (empty: any)</label>
          <input
            id={`${id}-uses`}
            type="number"
            min={1}
            max={100000}
            value={maxUses}
            onChange={(e) => setMaxUses(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>Note</label>
          <input id={`${id}-note`} maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="primary">
          Create invite link
        </button>
      </form>
      <FormError message={error} />
      {created ? (
        <p className="created-link" role="status">
          New link:{' '}
          <input
            readOnly
            aria-label="Invite link"
            value={inviteLink(created.code)}
            onFocus={(e) => e.target.select()}
          />{' '}
          <button
            type="button"
            className="secondary small"
            onClick={() => void navigator.clipboard?.writeText(inviteLink(created.code)).catch(() => {})}
          >
            Copy
          </button>
        </p>
      ) : null}
      <PagedTable
        label="Invite links"
        state={state}
        head={['Link', 'Note', 'Created', 'Uses', 'Expires', 'Status', 'Actions']}
        empty="No invite links yet."
        onMore={() => void list.more()}
        row={(invite) => (
          <tr key={invite.id}>
            <td>
              <code className="invite-code" title={inviteLink(invite.code)}>
                {invite.code.slice(0, 8)}…
              </code>
            </td>
            <td>{invite.note || '—'}</td>
            <td>
              {formatFull(invite.createdAt)}
              {invite.createdBy ? ` by ${invite.createdBy.username}` : ''}
            </td>
            <td>
              {invite.uses}
              {invite.maxUses !== null ? ` of ${invite.maxUses}` : ''}
            </td>
            <td>{invite.expiresAt ? formatFull(invite.expiresAt) : 'Never'}</td>
            <td>{statusOf(invite)}</td>
            <td className="row-actions">
              {invite.revokedAt ? null : (
                <button
                  type="button"
                  className="secondary small danger-text"
                  onClick={() => {
                    setError(null);
                    revokeInvite(chat, invite).catch((e) => setError(errorText(e)));
                  }}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        )}
      />
    </section>
  );
}
