import { useEffect, useRef, useState } from 'react';

const pressMs = 500;

/**
 * On a phone there is no hover: holding a message opens its actions, as chat apps do. A touch that
 * moves (a scroll) is not a press; touching anywhere else closes them again.
 */
export function useLongPress() {
  const [open, setOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const row = useRef<HTMLLIElement>(null);
  const cancel = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => {
    if (!open) return;
    const away = (event: Event) => {
      if (!row.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('touchstart', away);
    document.addEventListener('mousedown', away);
    return () => {
      document.removeEventListener('touchstart', away);
      document.removeEventListener('mousedown', away);
    };
  }, [open]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return {
    open,
    ref: row,
    handlers: {
      onTouchStart: () => {
        cancel();
        timer.current = setTimeout(() => setOpen(true), pressMs);
      },
      onTouchMove: cancel,
      onTouchEnd: cancel,
      onContextMenu: (event: React.MouseEvent) => {
        // A long press also fires contextmenu on Android: the actions replace the browser's menu.
        if (open || timer.current === null) return;
        event.preventDefault();
      },
    },
  };
}

/**
 * ↑/↓ in the message log move between messages (each shows its actions while focused), so the
 * keyboard reaches every message without a tab stop per message.
 */
export function moveMessageFocus(event: React.KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
  const target = event.target as HTMLElement;
  const onRow = target.matches('li.message[data-seq]');
  if (!onRow && target !== event.currentTarget) return;
  const rows = [...event.currentTarget.querySelectorAll<HTMLElement>('li.message[data-seq]')];
  if (rows.length === 0) return;
  const at = onRow ? rows.indexOf(target) : rows.length;
  const next = rows[Math.max(0, Math.min(rows.length - 1, at + (event.key === 'ArrowUp' ? -1 : 1)))];
  if (!next || next === target) return;
  event.preventDefault();
  next.focus();
}
