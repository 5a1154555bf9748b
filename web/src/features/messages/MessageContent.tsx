import type { Message } from '@parley/protocol';
import { useChat } from '../../components/ChatContext';
import { formatFull } from '../../lib/format';
import { EditBox } from './EditBox';
import { MessageMarkdown } from './Markdown';
import { useMessages } from './store';

/** A message's words: the tombstone, the inline editor, or its Markdown with "(edited)". */
export function MessageContent({
  message,
  text,
  me,
  group,
}: {
  message?: Message;
  text: string;
  me?: string;
  group?: boolean;
}) {
  const chat = useChat();
  const editing = useMessages(
    chat,
    (s) => !!message && s.editing?.roomId === message.roomId && s.editing.seq === message.seq,
  );
  if (message?.deleted) return <p className="message-text tombstone">This message was deleted</p>;
  if (message && editing) return <EditBox message={message} />;
  return (
    <>
      <MessageMarkdown text={text} me={me} group={group} />
      {message?.editedAt ? (
        <span className="edited muted" title={`Edited ${formatFull(message.editedAt)}`}>
          (edited)
        </span>
      ) : null}
    </>
  );
}
