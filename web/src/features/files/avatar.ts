import { removeAvatar, uploadAvatar } from '../../api/files';
import type { Chat } from '../../state/chat';

/** Sets (or with no file, removes) the signed-in person's avatar; the new `me` shows it at once. */
export async function changeAvatar(chat: Chat, file: File | null): Promise<void> {
  const user = file ? await uploadAvatar(file) : (await removeAvatar()).user;
  chat.store.set((s) => ({ ...s, me: user }));
}
