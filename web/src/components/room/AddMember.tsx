import { type FormEvent, useId, useState } from 'react';
import { addMember } from '../../api/rooms';
import { errorText } from '../../api/errors';
import { searchUsers } from '../../api/users';

/** Adds a person by exact username: the way into a private room. */
export function AddMember({ roomId }: { roomId: string }) {
  const id = useId();
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted) return;
    try {
      const { users } = await searchUsers(wanted);
      const user = users.find((u) => u.username.toLowerCase() === wanted.toLowerCase());
      if (!user) {
        setMessage({ error: true, text: `No one is called “${wanted}”.` });
        return;
      }
      await addMember(roomId, user.id);
      setMessage({ error: false, text: `${user.username} was added.` });
      setName('');
    } catch (error) {
      setMessage({ error: true, text: errorText(error) });
    }
  }

  return (
    <form className="add-member" onSubmit={submit}>
      <label htmlFor={id}>Add someone</label>
      <div className="inline-form">
        <input id={id} value={name} placeholder="username" onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="secondary small">
          Add
        </button>
      </div>
      {message ? (
        <p className={message.error ? 'field-error' : 'field-hint'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
