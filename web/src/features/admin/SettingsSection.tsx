import {
  type LimitAction,
  limitActions,
  type RateLimits,
  type Registration,
  retentionConfirmBelowDays,
  type Settings,
  type TwoFactorRequirement,
} from '@parley/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { useStore } from '../../state/store';
import type { Chat } from '../../state/chat';
import { SignInSettings } from './SignInSettings';
import { adminState, loadSettings, saveSettings } from './state';

const actionLabels: Record<LimitAction, string> = {
  send: 'Messages sent',
  edit: 'Edits',
  reaction: 'Reactions',
  typing: 'Typing signals',
  roomCreate: 'Rooms created',
  memberAdd: 'People added to rooms',
  dmOpen: 'Direct messages opened',
  upload: 'Uploads',
  report: 'Reports',
  moderate: 'Moderation actions',
};

const mib = 1024 * 1024;

interface Draft {
  registration: Registration;
  guests: boolean;
  retain: boolean;
  retentionDays: string;
  confirmDays: string;
  uploadMaxMib: string;
  uploadQuotaMib: string;
  rateLimits: Record<LimitAction, { count: string; seconds: string }>;
  passwordLogin: boolean;
  twoFactor: TwoFactorRequirement;
}

function draftOf(settings: Settings): Draft {
  return {
    registration: settings.registration,
    guests: settings.guests,
    retain: settings.retentionDays !== null,
    retentionDays: String(settings.retentionDays ?? 365),
    confirmDays: '',
    uploadMaxMib: String(Math.round((settings.uploadMaxBytes / mib) * 100) / 100),
    uploadQuotaMib: String(Math.round((settings.uploadQuotaBytes / mib) * 100) / 100),
    rateLimits: Object.fromEntries(
      limitActions.map((a) => [
        a,
        { count: String(settings.rateLimits[a].count), seconds: String(settings.rateLimits[a].seconds) },
      ]),
    ) as Draft['rateLimits'],
    passwordLogin: settings.passwordLogin,
    twoFactor: settings.twoFactor,
  };
}

/** Live settings: saved in the database, applied on every node at once. */
export function SettingsSection({ chat }: { chat: Chat }) {
  const store = adminState(chat).settings;
  const { settings, error: loadError, self } = useStore(store, (s) => s);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const id = useId();

  useEffect(() => {
    void loadSettings(chat);
  }, [chat]);
  useEffect(() => {
    if (settings) setDraft(draftOf(settings));
  }, [settings]);

  if (!draft) {
    return <p className="muted">{loadError ?? 'Loading…'}</p>;
  }
  const set = (change: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...change });
  };
  const days = Number(draft.retentionDays);
  // A short retention deletes recent history: asked twice, when it changes (as the server asks).
  const needsConfirm =
    draft.retain &&
    Number.isFinite(days) &&
    days < retentionConfirmBelowDays &&
    days !== settings?.retentionDays;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    setError(null);
    setSaved(false);
    const rateLimits = Object.fromEntries(
      limitActions.map((a) => [
        a,
        { count: Number(draft.rateLimits[a].count), seconds: Number(draft.rateLimits[a].seconds) },
      ]),
    ) as RateLimits;
    try {
      await saveSettings(chat, {
        registration: draft.registration,
        guests: draft.guests,
        retentionDays: draft.retain ? days : null,
        ...(needsConfirm ? { confirmRetentionDays: Number(draft.confirmDays) } : {}),
        uploadMaxBytes: Math.round(Number(draft.uploadMaxMib) * mib),
        uploadQuotaBytes: Math.round(Number(draft.uploadQuotaMib) * mib),
        rateLimits,
        passwordLogin: draft.passwordLogin,
        twoFactor: draft.twoFactor,
      });
      setSaved(true);
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section aria-label="Settings">
      <form className="admin-form settings-form" onSubmit={save} aria-label="Server settings">
        <fieldset>
          <legend>Who may join</legend>
          <div className="field">
            <label htmlFor={`${id}-registration`}>Registration</label>
            <select
              id={`${id}-registration`}
              value={draft.registration}
              onChange={(e) => set({ registration: e.target.value as Registration })}
            >
              <option value="open">Open: anyone may create an account</option>
              <option value="invite">Invite only: an invite link is needed</option>
              <option value="closed">Closed: nobody new</option>
            </select>
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.guests}
              onChange={(e) => set({ guests: e.target.checked })}
            />{' '}
            Guests may join without an account
          </label>
        </fieldset>
        <SignInSettings
          passwordLogin={draft.passwordLogin}
          twoFactor={draft.twoFactor}
          savedPasswordLogin={settings?.passwordLogin ?? true}
          self={self}
          onChange={set}
        />
        <fieldset>
          <legend>Message retention</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.retain}
              onChange={(e) => set({ retain: e.target.checked })}
            />{' '}
            Delete old messages
          </label>
          {draft.retain ? (
            <div className="field">
              <label htmlFor={`${id}-days`}>Keep messages for (days)</label>
              <input
                id={`${id}-days`}
                type="number"
                min={0}
                max={36500}
                required
                value={draft.retentionDays}
                onChange={(e) => set({ retentionDays: e.target.value, confirmDays: '' })}
              />
              <p className="field-hint">
                Messages older than this, and their files, are deleted for good by a background job.
              </p>
            </div>
          ) : (
            <p className="field-hint">Messages are kept forever.</p>
          )}
          {needsConfirm ? (
            <div className="field">
              <label htmlFor={`${id}-confirm`}>
                Deletes everything older than {days} {days === 1 ? 'day' : 'days'}. Type {days} to confirm
              </label>
              <input
                id={`${id}-confirm`}
                type="number"
                required
                value={draft.confirmDays}
                onChange={(e) => set({ confirmDays: e.target.value })}
              />
            </div>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Uploads</legend>
          <div className="field">
            <label htmlFor={`${id}-upload`}>Largest file (MiB)</label>
            <input
              id={`${id}-upload`}
              type="number"
              min={0.001}
              step="any"
              required
              value={draft.uploadMaxMib}
              onChange={(e) => set({ uploadMaxMib: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-quota`}>Storage per person (MiB, 0: no limit)</label>
            <input
              id={`${id}-quota`}
              type="number"
              min={0}
              step="any"
              required
              value={draft.uploadQuotaMib}
              onChange={(e) => set({ uploadQuotaMib: e.target.value })}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Rate limits per person</legend>
          <p className="field-hint">N actions at once, refilled evenly over the time given.</p>
          <table className="admin-table limits-table">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Actions</th>
                <th scope="col">Per seconds</th>
              </tr>
            </thead>
            <tbody>
              {limitActions.map((action) => (
                <tr key={action}>
                  <th scope="row">{actionLabels[action]}</th>
                  {(['count', 'seconds'] as const).map((part) => (
                    <td key={part}>
                      <input
                        type="number"
                        min={1}
                        max={part === 'count' ? 1_000_000 : 86_400}
                        required
                        aria-label={`${actionLabels[action]}: ${part === 'count' ? 'how many' : 'per seconds'}`}
                        value={draft.rateLimits[action][part]}
                        onChange={(e) =>
                          set({
                            rateLimits: {
                              ...draft.rateLimits,
                              [action]: { ...draft.rateLimits[action], [part]: e.target.value },
                            },
                          })
                        }
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <FormError message={error} />
        {saved ? (
          <p className="form-success" role="status">
            Saved. Every node applies it now.
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={() => settings && setDraft(draftOf(settings))}>
            Undo changes
          </button>
          <button type="submit" className="primary">
            Save settings
          </button>
        </div>
      </form>
    </section>
  );
}
