import { type RefObject, useEffect, useRef } from 'react';
import { emojiList } from '../../lib/emoji';

const columns = 6;

interface Props {
  onPick: (emoji: string) => void;
  /** Escape: close and go back to the text. */
  onClose: () => void;
  /** Focus went elsewhere (a click or Tab away): close and leave focus where it went. */
  onDismiss: () => void;
  /** The button that opens the picker: focus moving there is its own toggle, not a dismissal. */
  toggle: RefObject<HTMLButtonElement | null>;
}

/** A grid of buttons: arrow keys move, Enter picks, Escape closes. */
export function EmojiPicker({ onPick, onClose, onDismiss, toggle }: Props) {
  const grid = useRef<HTMLDivElement>(null);

  useEffect(() => {
    grid.current?.querySelector('button')?.focus();
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
      onClose();
    } else if (event.key in moves && index >= 0) {
      event.preventDefault();
      buttons[Math.min(buttons.length - 1, Math.max(0, index + moves[event.key]!))]?.focus();
    }
  }

  return (
    <div
      className="emoji-picker"
      role="dialog"
      aria-label="Emoji"
      ref={grid}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        const next = event.relatedTarget as Node | null;
        if (!grid.current?.contains(next) && next !== toggle.current) onDismiss();
      }}
    >
      {emojiList.map(([emoji, name]) => (
        <button key={emoji} type="button" aria-label={name} title={name} onClick={() => onPick(emoji)}>
          {emoji}
        </button>
      ))}
    </div>
  );
}
