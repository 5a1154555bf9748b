import { useMemo, useState } from 'react';
import { Avatar } from '../../components/Avatar';
import { useChatState } from '../../components/ChatContext';

export interface Suggestion {
  /** What is inserted after "@". */
  name: string;
  label: string;
  userId?: string;
}

// The "@query" just before the caret, as the server would read it as a mention.
const typing = /(?:^|[^\w@.+-])@([A-Za-z0-9_.-]{0,32})$/;
const groupRoomLimit = 50;
const shownMax = 8;

/**
 * Suggestions while the person types "@…" in the composer: the room's members whose name starts with
 * what was typed, then @room and @here where they may use them. Keys: ↑/↓ move, Enter or Tab takes
 * one, Escape closes.
 */
export function useMentionSuggest(roomId: string, text: string, caret: number) {
  const members = useChatState((s) => s.members[roomId]);
  const room = useChatState((s) => s.rooms[roomId]);
  const me = useChatState((s) => s.me);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const match = typing.exec(text.slice(0, caret));
  const query = match ? (match[1] as string).toLowerCase() : null;
  const start = match ? caret - (match[1] as string).length - 1 : -1;

  const suggestions = useMemo((): Suggestion[] => {
    if (query === null || room?.kind === 'dm') return [];
    const people = (members ?? [])
      .filter((m) => m.id !== me.id && m.username.toLowerCase().startsWith(query))
      .sort((a, b) => a.username.localeCompare(b.username))
      .slice(0, shownMax)
      .map((m) => ({ name: m.username, label: m.username, userId: m.id }));
    const mayGroup =
      (room?.memberCount ?? 0) <= groupRoomLimit ||
      room?.role === 'owner' ||
      room?.role === 'moderator' ||
      me.admin;
    const groups = mayGroup
      ? [
          { name: 'room', label: 'room — everyone in this room' },
          { name: 'here', label: 'here — everyone online now' },
        ].filter((g) => g.name.startsWith(query))
      : [];
    return [...people, ...groups];
  }, [query, members, room, me]);

  const open = suggestions.length > 0 && dismissedAt !== start;
  const index = Math.min(active, suggestions.length - 1);
  return {
    open,
    suggestions,
    active: index,
    /** The text with the chosen name in place of "@query", and where the caret goes. */
    choose(suggestion: Suggestion): { text: string; caret: number } {
      const inserted = `@${suggestion.name} `;
      setActive(0);
      return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
    },
    /** Handles a key; true when it was the list's (the composer must not act on it too). */
    onKey(key: string): Suggestion | 'handled' | null {
      if (!open) return null;
      if (key === 'ArrowDown') setActive((index + 1) % suggestions.length);
      else if (key === 'ArrowUp') setActive((index - 1 + suggestions.length) % suggestions.length);
      else if (key === 'Escape') setDismissedAt(start);
      else if (key === 'Enter' || key === 'Tab') return suggestions[index] ?? null;
      else return null;
      return 'handled';
    },
  };
}

export function MentionList({
  id,
  suggestions,
  active,
  onPick,
}: {
  id: string;
  suggestions: Suggestion[];
  active: number;
  onPick: (suggestion: Suggestion) => void;
}) {
  return (
    <div className="mention-list" id={id} role="listbox" aria-label="People to mention">
      {suggestions.map((suggestion, index) => (
        <div
          key={suggestion.name}
          tabIndex={-1}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === active}
          className={index === active ? 'active' : undefined}
          // Before the textarea loses focus: the pick lands where the caret was.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(suggestion);
          }}
        >
          {suggestion.userId ? (
            <Avatar id={suggestion.userId} name={suggestion.name} size={20} />
          ) : (
            <span className="mention-group" aria-hidden="true">
              @
            </span>
          )}
          <span>{suggestion.label}</span>
        </div>
      ))}
    </div>
  );
}
