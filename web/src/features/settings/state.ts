import type { ProfilePatch, SessionInfo } from '@parley/protocol';
import * as api from '../../api/account';
import { removeAvatar, uploadAvatar } from '../../api/files';
import type { Chat } from '../../state/chat';
import { Store } from '../../state/store';
import { applyMe } from '../people/state';

/** Saves profile fields; the person's own state (and their other tabs, by the server's event) follow. */
export async function saveProfile(chat: Chat, patch: ProfilePatch): Promise<void> {
  const { user } = await api.updateProfile(patch);
  applyMe(chat, user);
}

export async function setAvatar(chat: Chat, file: File | null): Promise<void> {
  const user = file ? await uploadAvatar(file) : (await removeAvatar()).user;
  applyMe(chat, user);
}

export const changePassword = (current: string, password: string) => api.changePassword(current, password);

/** The person's sessions, as the sessions section shows them. */
export const sessionsStore = new Store<{ sessions: SessionInfo[]; loaded: boolean }>({
  sessions: [],
  loaded: false,
});

export async function loadSessions(): Promise<void> {
  const { sessions } = await api.fetchSessions();
  sessionsStore.set(() => ({ sessions, loaded: true }));
}

export async function endSession(sessionId: string): Promise<void> {
  await api.endSession(sessionId);
  sessionsStore.set((s) => ({ ...s, sessions: s.sessions.filter((x) => x.id !== sessionId) }));
}

export async function endOtherSessions(): Promise<number> {
  const { ended } = await api.endOtherSessions();
  sessionsStore.set((s) => ({ ...s, sessions: s.sessions.filter((x) => x.current) }));
  return ended;
}

/** Deletes the account; this tab then signs out, as every other one already was. */
export async function deleteAccount(
  chat: Chat,
  password: string,
  messages: 'keep' | 'remove',
): Promise<void> {
  await api.deleteAccount(chat.me.guest ? { messages } : { password, messages });
  chat.end();
}
