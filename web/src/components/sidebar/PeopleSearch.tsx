import { useEffect, useId, useState } from 'react';
import { errorText } from '../../api/errors';
import { type FoundUser, searchUsers } from '../../api/users';
import { startDm } from '../../state/rooms';
import { Avatar } from '../Avatar';
import { useChat } from '../ChatContext';

/** Find a person by name and open the direct-message room with them. */
export function PeopleSearch() {
  const chat = useChat();
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<FoundUser[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults([]);
      return;
    }
    let current = true;
    // Wait for a pause in typing rather than asking the server on every key.
    const timer = setTimeout(() => {
      searchUsers(q)
        .then(({ users }) => current && setResults(users.filter((u) => u.id !== chat.me.id)))
        .catch((e) => current && setError(errorText(e)));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, chat]);

  async function message(user: FoundUser) {
    setError(null);
    try {
      await startDm(chat, user.id);
      setQuery('');
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div className="people-search">
      <label htmlFor={id} className="visually-hidden">
        Find people
      </label>
      <input
        id={id}
        type="search"
        placeholder="Find people…"
        value={query}
        autoComplete="off"
        onChange={(e) => {
          setQuery(e.target.value);
          setError(null);
        }}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {query.trim() ? (
        <ul className="search-results" aria-label="People found">
          {results.length === 0 ? <li className="muted small-text">No one found.</li> : null}
          {results.map((user) => (
            <li key={user.id}>
              <button type="button" className="room-item" onClick={() => void message(user)}>
                <Avatar
                  id={user.id}
                  name={user.username}
                  src={user.avatar}
                  status={user.online ? 'online' : 'offline'}
                  size={24}
                />
                <span className="room-name">
                  {user.displayName ?? user.username}
                  {user.displayName ? <span className="author-username">@{user.username}</span> : null}
                </span>
                <span className="muted small-text">Message</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
