import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { emojiList } from '../../lib/emoji';

const columns = 6;

/**
 * The composer's emoji set with a search field: type to narrow by name, ↓ into the grid, arrows move,
 * Enter picks, Escape closes.
 */
export function ReactionPicker({
  onPick,
  onClose,
}: {
  onPick: (emoji: string) => void;
  onClose: () => void;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const words = query.trim().toLowerCase();
    return words ? emojiList.filter(([emoji, name]) => name.includes(words) || emoji === words) : emojiList;
  }, [query]);

  useEffect(() => {
    root.current?.querySelector('input')?.focus();
  }, []);

  function onKeyDown(event: React.KeyboardEvent) {
    const buttons = [...(grid.current?.querySelectorAll('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
    };
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (index < 0 && event.key === 'ArrowDown') {
      event.preventDefault();
      buttons[0]?.focus();
    } else if (index < 0 && event.key === 'Enter' && buttons[0]) {
      event.preventDefault();
      buttons[0].click();
    } else if (event.key in moves && index >= 0) {
      event.preventDefault();
      const next = index + moves[event.key]!;
      if (next < 0) root.current?.querySelector('input')?.focus();
      else buttons[Math.min(buttons.length - 1, next)]?.focus();
    }
  }

  return (
    <div
      className="reaction-picker"
      role="dialog"
      aria-label="Add a reaction"
      ref={root}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!root.current?.contains(event.relatedTarget as Node | null)) onClose();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Search emoji
      </label>
      <input
        id={id}
        type="search"
        placeholder="Search emoji"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoComplete="off"
      />
      <div className="reaction-grid" ref={grid}>
        {shown.map(([emoji, name]) => (
          <button key={emoji} type="button" aria-label={name} title={name} onClick={() => onPick(emoji)}>
            {emoji}
          </button>
        ))}
        {shown.length === 0 ? <p className="muted">No emoji match.</p> : null}
      </div>
    </div>
  );
}
