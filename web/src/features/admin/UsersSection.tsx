import type { AdminUser, ResetLinkReply } from '@parley/protocol';
import { useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { Dialog } from '../../components/dialogs/Dialog';
import { formatFull } from '../../lib/format';
import type { Chat } from '../../state/chat';
import { Filters, PagedTable } from './Table';
import { adminState, deleteUser, passwordResetLink, setUserAdmin, setUserDisabled } from './state';
import { useList } from './useList';

const filters: Array<[string, string]> = [
  ['all', 'Everyone'],
  ['admins', 'Admins'],
  ['disabled', 'Disabled'],
  ['guests', 'Guests'],
];

export function UsersSection({ chat }: { chat: Chat }) {
  const list = adminState(chat).users;
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('all');
  const state = useList(list, { q: q.trim(), filter });
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<AdminUser | null>(null);
  const [reset, setReset] = useState<{ user: AdminUser; link: ResetLinkReply } | null>(null);

  const act = (action: Promise<unknown>) => {
    setError(null);
    action.catch((e) => setError(errorText(e)));
  };

  return (
    <section aria-label="Users">
      <Filters
        label="Find accounts"
        q={q}
        onQ={setQ}
        filter={filter}
        filters={filters}
        onFilter={setFilter}
      />
      <FormError message={error} />
      <PagedTable
        label="Users"
        state={state}
        head={['Name', 'Status', 'Last sign-in', 'Registered', 'Actions']}
        empty="Nobody matches."
        onMore={() => void list.more()}
        row={(user) => (
          <tr key={user.id} aria-label={user.username}>
            <td>
              {user.username}
              {user.admin ? <span className="tag">admin</span> : null}
              {user.guest ? <span className="tag">guest</span> : null}
            </td>
            <td>{user.disabled ? 'Disabled' : user.online ? 'Online' : 'Active'}</td>
            <td>{user.lastSignInAt ? formatFull(user.lastSignInAt) : '—'}</td>
            <td>{formatFull(user.createdAt)}</td>
            <td className="row-actions">
              {user.id === chat.me.id ? (
                <span className="muted small-text">you</span>
              ) : (
                <>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => act(setUserDisabled(chat, user.id, !user.disabled))}
                  >
                    {user.disabled ? 'Enable' : 'Disable'}
                  </button>
                  {user.guest ? null : (
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => act(setUserAdmin(chat, user.id, !user.admin))}
                    >
                      {user.admin ? 'Revoke admin' : 'Make admin'}
                    </button>
                  )}
                  {user.guest ? null : (
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() =>
                        act(passwordResetLink(chat, user.id).then((link) => setReset({ user, link })))
                      }
                    >
                      Reset link
                    </button>
                  )}
                  <button
                    type="button"
                    className="secondary small danger-text"
                    onClick={() => setDeleting(user)}
                  >
                    Delete…
                  </button>
                </>
              )}
            </td>
          </tr>
        )}
      />
      {reset ? (
        <Dialog title={`Password reset link for ${reset.user.username}`} onClose={() => setReset(null)}>
          <p className="muted small-text">
            Give this link to {reset.user.username} yourself: it sets a new password once, and stops working
            on {formatFull(reset.link.expiresAt)}.
          </p>
          <input readOnly aria-label="Reset link" value={reset.link.url} onFocus={(e) => e.target.select()} />
          <div className="dialog-actions">
            <button
              type="button"
              className="secondary"
              onClick={() => void navigator.clipboard?.writeText(reset.link.url).catch(() => {})}
            >
              Copy
            </button>
            <button type="button" className="primary" onClick={() => setReset(null)}>
              Done
            </button>
          </div>
        </Dialog>
      ) : null}
      {deleting ? <DeleteUserDialog chat={chat} user={deleting} onClose={() => setDeleting(null)} /> : null}
    </section>
  );
}

function DeleteUserDialog({ chat, user, onClose }: { chat: Chat; user: AdminUser; onClose: () => void }) {
  const [messages, setMessages] = useState<'keep' | 'remove'>('keep');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={`Delete ${user.username}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          deleteUser(chat, user.id, messages)
            .then(onClose)
            .catch((err) => {
              setError(errorText(err));
              setBusy(false);
            });
        }}
      >
        <p className="muted small-text">
          The account ends now: every session is signed out and the name can be taken again.
        </p>
        <fieldset className="choice">
          <legend>Their messages</legend>
          <label>
            <input
              type="radio"
              name="messages"
              checked={messages === 'keep'}
              onChange={() => setMessages('keep')}
            />{' '}
            Keep them, shown as from “deleted user”
          </label>
          <label>
            <input
              type="radio"
              name="messages"
              checked={messages === 'remove'}
              onChange={() => setMessages('remove')}
            />{' '}
            Remove them everywhere
          </label>
        </fieldset>
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy}>
            Delete account
          </button>
        </div>
      </form>
    </Dialog>
  );
}
