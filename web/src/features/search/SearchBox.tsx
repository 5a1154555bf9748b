import { useEffect, useId, useRef, useState } from 'react';
import { goTo, paths } from '../../routes/paths';
import { encodeSpec } from './address';

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** The sidebar's message search: Enter opens the results; Ctrl+K (⌘K on a Mac) focuses it from anywhere. */
export function SearchBox() {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <search className="message-search" aria-label="Search messages">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (query.trim()) goTo(paths.search(encodeSpec({ q: query.trim() })));
        }}
      >
        <label htmlFor={id} className="visually-hidden">
          Search messages
        </label>
        <input
          id={id}
          ref={input}
          type="search"
          placeholder={`Search messages (${isMac() ? '⌘' : 'Ctrl+'}K)`}
          value={query}
          autoComplete="off"
          aria-keyshortcuts="Control+K Meta+K"
          onChange={(event) => setQuery(event.target.value)}
        />
      </form>
    </search>
  );
}
