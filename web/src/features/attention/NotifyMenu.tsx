import type { NotifyLevel, Room } from '@parley/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { errorText } from '../../api/errors';
import { useChat } from '../../components/ChatContext';
import { setRoomNotifications } from './state';

const levels: { value: NotifyLevel | 'default'; label: string }[] = [
  { value: 'all', label: 'Every message' },
  { value: 'mentions', label: 'Mentions of me' },
  { value: 'none', label: 'Nothing' },
];

const mutes: { value: string; label: string; hours?: number }[] = [
  { value: 'off', label: 'Not muted' },
  { value: '1h', label: 'For an hour', hours: 1 },
  { value: '8h', label: 'For 8 hours', hours: 8 },
  { value: '24h', label: 'For a day', hours: 24 },
  { value: 'week', label: 'For a week', hours: 24 * 7 },
  { value: 'forever', label: 'Until I turn it back on' },
];

const bellLabel = (room: Room) => {
  const n = room.notifications;
  if (!n) return 'Notifications';
  if (n.muted) return n.mutedUntil ? `Muted until ${new Date(n.mutedUntil).toLocaleString()}` : 'Muted';
  return `Notifications: ${levels.find((l) => l.value === n.level)?.label ?? n.level}`;
};

/** The room's notification level and mute, from the header: a bell that opens two choices. */
export function NotifyMenu({ room }: { room: Room }) {
  const chat = useChat();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const settings = room.notifications;

  useEffect(() => {
    if (!open) return;
    box.current?.querySelector<HTMLSelectElement>('select')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      box.current?.querySelector<HTMLButtonElement>('button')?.focus();
    };
    const onClick = (event: MouseEvent) => !box.current?.contains(event.target as Node) && setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onClick);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  if (!settings) return null;
  const change = (body: Parameters<typeof setRoomNotifications>[2]) => {
    setError(null);
    setRoomNotifications(chat, room.id, body).catch((e) => setError(errorText(e)));
  };
  const level = settings.custom ? settings.level : 'default';
  const mute = !settings.muted ? 'off' : settings.mutedUntil ? 'until' : 'forever';
  return (
    <div className="notify-menu" ref={box}>
      <button
        type="button"
        className="secondary small"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-label={bellLabel(room)}
        title={bellLabel(room)}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">{settings.muted || settings.level === 'none' ? '🔕' : '🔔'}</span>
      </button>
      {open ? (
        <fieldset className="notify-panel" id={`${id}-panel`}>
          <legend className="visually-hidden">Notifications for this room</legend>
          <label htmlFor={`${id}-level`}>Notify me of</label>
          <select
            id={`${id}-level`}
            value={level}
            onChange={(e) => change({ level: e.target.value as NotifyLevel })}
          >
            <option value="default">
              Default (
              {levels.find((l) => l.value === (settings.custom ? undefined : settings.level))?.label ??
                'for this room'}
              )
            </option>
            {levels.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-mute`}>Mute</label>
          <select
            id={`${id}-mute`}
            value={mute}
            onChange={(e) => {
              const choice = mutes.find((m) => m.value === e.target.value);
              if (!choice) return;
              if (choice.value === 'off') change({ mutedUntil: null });
              else if (choice.value === 'forever') change({ mutedUntil: 'forever' });
              else
                change({ mutedUntil: new Date(Date.now() + (choice.hours ?? 1) * 3_600_000).toISOString() });
            }}
          >
            {mute === 'until' ? <option value="until">{bellLabel(room)}</option> : null}
            {mutes.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </fieldset>
      ) : null}
    </div>
  );
}
