import { limits, type MessageFile } from '@parley/protocol';
import { fetchServerConfig } from '../../api/auth';
import { errorText } from '../../api/errors';
import { uploadToRoom } from '../../api/files';
import type { Chat } from '../../state/chat';
import { Store, useStore } from '../../state/store';
import { formatSize } from './kinds';

/** A file on its way into the next message of a room: uploading, ready, or refused. */
export interface Attachment {
  localId: string;
  roomId: string;
  name: string;
  size: number;
  type: string;
  /** An object URL of the picture, for images, shown while it uploads. */
  preview?: string;
  sent: number;
  status: 'uploading' | 'ready' | 'failed';
  error?: string;
  file?: MessageFile;
}

export type AttachmentsByRoom = Record<string, Attachment[]>;
export const noAttachments: Attachment[] = [];

interface FilesState {
  store: Store<AttachmentsByRoom>;
  uploads: Map<string, AbortController>;
  maxBytes: Promise<number>;
}

// One tray per signed-in session.
const states = new WeakMap<Chat, FilesState>();
export function filesState(chat: Chat): FilesState {
  let state = states.get(chat);
  if (!state) {
    state = {
      store: new Store<AttachmentsByRoom>({}),
      uploads: new Map(),
      maxBytes: fetchServerConfig()
        .then((config) => config.uploadMaxBytes ?? Number.POSITIVE_INFINITY)
        .catch(() => Number.POSITIVE_INFINITY),
    };
    states.set(chat, state);
  }
  return state;
}

function update(chat: Chat, roomId: string, change: (list: Attachment[]) => Attachment[]): void {
  filesState(chat).store.set((s) => ({ ...s, [roomId]: change(s[roomId] ?? noAttachments) }));
}
const patch = (chat: Chat, roomId: string, localId: string, fields: Partial<Attachment>) =>
  update(chat, roomId, (list) => list.map((a) => (a.localId === localId ? { ...a, ...fields } : a)));

let counter = 0;

/**
 * Starts uploading files picked, pasted or dropped into a room. Each gets its own progress and can be
 * cancelled; one that is empty, too big or one too many is refused here with words, before any byte
 * is sent; the server's refusals (quota, type) are shown the same way.
 */
export async function attachFiles(chat: Chat, roomId: string, files: File[]): Promise<void> {
  const state = filesState(chat);
  const maxBytes = await state.maxBytes;
  for (const file of files) {
    const localId = `upload-${++counter}`;
    const taken = (state.store.get()[roomId] ?? noAttachments).filter((a) => a.status !== 'failed').length;
    const problem =
      file.size === 0
        ? `${file.name} is empty.`
        : file.size > maxBytes
          ? `${file.name} is too big: ${formatSize(file.size)}, the limit is ${formatSize(maxBytes)}.`
          : taken >= limits.filesPerMessageMax
            ? `A message carries at most ${limits.filesPerMessageMax} files.`
            : undefined;
    const attachment: Attachment = {
      localId,
      roomId,
      name: file.name,
      size: file.size,
      type: file.type,
      preview:
        !problem && /^image\/(png|jpeg|gif|webp|avif)$/.test(file.type)
          ? URL.createObjectURL(file)
          : undefined,
      sent: 0,
      status: problem ? 'failed' : 'uploading',
      error: problem,
    };
    update(chat, roomId, (list) => [...list, attachment]);
    if (problem) continue;
    const controller = new AbortController();
    state.uploads.set(localId, controller);
    uploadToRoom(roomId, file, (sent) => patch(chat, roomId, localId, { sent }), controller.signal)
      .then((uploaded) => patch(chat, roomId, localId, { status: 'ready', sent: file.size, file: uploaded }))
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        patch(chat, roomId, localId, { status: 'failed', error: `${file.name}: ${errorText(error)}` });
      })
      .finally(() => state.uploads.delete(localId));
  }
}

/** Cancels an upload in progress, or takes a file back out of the next message. */
export function removeAttachment(chat: Chat, roomId: string, localId: string): void {
  const state = filesState(chat);
  state.uploads.get(localId)?.abort();
  const gone = (state.store.get()[roomId] ?? noAttachments).find((a) => a.localId === localId);
  if (gone?.preview) URL.revokeObjectURL(gone.preview);
  update(chat, roomId, (list) => list.filter((a) => a.localId !== localId));
}

/**
 * The files ready to go with the message being sent; a string in words when the message must wait (an
 * upload still running). The tray keeps them until `clearAttachments`, so a send refused for its text
 * loses no file.
 */
export function readyAttachments(chat: Chat, roomId: string): MessageFile[] | string {
  const list = filesState(chat).store.get()[roomId] ?? noAttachments;
  if (list.some((a) => a.status === 'uploading')) return 'Wait for the uploads to finish, or cancel them.';
  return list.flatMap((a) => (a.status === 'ready' && a.file ? [a.file] : []));
}

/** Empties a room's tray once its files went out with a message. */
export function clearAttachments(chat: Chat, roomId: string): void {
  for (const a of filesState(chat).store.get()[roomId] ?? noAttachments)
    if (a.preview) URL.revokeObjectURL(a.preview);
  update(chat, roomId, () => noAttachments);
}

/** Whether a room's tray holds anything (the composer may send a message of files alone). */
export function useHasAttachments(chat: Chat, roomId: string): boolean {
  return useStore(filesState(chat).store, (s) =>
    (s[roomId] ?? noAttachments).some((a) => a.status !== 'failed'),
  );
}

/** The files a paste carries (a screenshot copied to the clipboard arrives as one). */
export function pastedFiles(data: DataTransfer | null): File[] {
  return data ? [...data.files] : [];
}
