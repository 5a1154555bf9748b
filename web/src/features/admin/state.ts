import type {
  AdminRoom,
  AdminUser,
  AuditEntry,
  Invite,
  InviteBody,
  OidcIdentityReply,
  Settings,
  SettingsPatch,
} from '@parley/protocol';
import { requestBlob } from '../../api/http';
import { identityStatus, twoFactorStatus } from '../signin/api';
import type { Chat } from '../../state/chat';
import { Store } from '../../state/store';
import * as api from './api';
import { PagedList } from './paged';

export interface AdminState {
  users: PagedList<AdminUser>;
  rooms: PagedList<AdminRoom>;
  invites: PagedList<Invite>;
  audit: PagedList<AuditEntry>;
  settings: Store<SettingsState>;
}

export interface SettingsState {
  settings: Settings | null;
  error?: string;
  /**
   * The admin's own sign-in, which the sign-in settings depend on: password sign-in can be turned off
   * only with single sign-on set up and this account linked to it (the server refuses otherwise), and
   * requiring two-factor of admins asks this admin to enrol at their next sign-in.
   */
  self?: { signOn: OidcIdentityReply; twoFactor: boolean };
}

// One per signed-in session: an admin's tables never outlive their sign-out.
const states = new WeakMap<Chat, AdminState>();

export function adminState(chat: Chat): AdminState {
  let state = states.get(chat);
  if (!state) {
    state = {
      users: new PagedList((q) => api.users(q).then((r) => ({ items: r.users, nextCursor: r.nextCursor }))),
      rooms: new PagedList((q) => api.rooms(q).then((r) => ({ items: r.rooms, nextCursor: r.nextCursor }))),
      invites: new PagedList((q) =>
        api.invites(q).then((r) => ({ items: r.invites, nextCursor: r.nextCursor })),
      ),
      audit: new PagedList((q) => api.audit(q).then((r) => ({ items: r.entries, nextCursor: r.nextCursor }))),
      settings: new Store<SettingsState>({ settings: null }),
    };
    states.set(chat, state);
  }
  return state;
}

// Users.

export async function setUserDisabled(chat: Chat, userId: string, disabled: boolean) {
  const { user } = await api.patchUser(userId, { disabled });
  adminState(chat).users.replace(user);
}

export async function setUserAdmin(chat: Chat, userId: string, admin: boolean) {
  const { user } = await api.patchUser(userId, { admin });
  adminState(chat).users.replace(user);
}

export const passwordResetLink = (_chat: Chat, userId: string) => api.resetLink(userId);

export async function deleteUser(chat: Chat, userId: string, messages: 'keep' | 'remove') {
  await api.deleteUser(userId, messages);
  adminState(chat).users.remove(userId);
}

// Rooms.

export async function setRoomArchived(chat: Chat, roomId: string, archived: boolean) {
  const { room } = await api.patchRoom(roomId, archived);
  adminState(chat).rooms.replace(room);
}

export async function deleteRoom(chat: Chat, roomId: string) {
  await api.deleteRoom(roomId);
  adminState(chat).rooms.remove(roomId);
}

// Invites.

export async function createInvite(chat: Chat, body: InviteBody): Promise<Invite> {
  const { invite } = await api.createInvite(body);
  adminState(chat).invites.prepend(invite);
  return invite;
}

export async function revokeInvite(chat: Chat, invite: Invite) {
  await api.revokeInvite(invite.id);
  adminState(chat).invites.replace({ ...invite, revokedAt: new Date().toISOString() });
}

/** The link a person opens to register with an invite: this client's page with `?invite=CODE`. */
export function inviteLink(code: string): string {
  const url = new URL(location.href);
  url.hash = '';
  url.search = `?invite=${encodeURIComponent(code)}`;
  return url.href;
}

// Settings.

export async function loadSettings(chat: Chat): Promise<void> {
  const store = adminState(chat).settings;
  try {
    // Without the admin's own status the switches still work; the server's refusal then explains.
    const self = Promise.all([identityStatus(), twoFactorStatus()]).then(
      ([signOn, totp]) => ({ signOn, twoFactor: totp.enabled }),
      () => undefined,
    );
    const [{ settings }, own] = await Promise.all([api.settings(), self]);
    store.set(() => ({ settings, self: own }));
  } catch (error) {
    store.set((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
  }
}

export async function saveSettings(chat: Chat, change: SettingsPatch): Promise<Settings> {
  const { settings } = await api.patchSettings(change);
  adminState(chat).settings.set((s) => ({ ...s, settings, error: undefined }));
  return settings;
}

// Audit log.

/** Saves the audit log's CSV for these filters, as the browser saves any download. */
export async function downloadAuditCsv(query: api.Query): Promise<void> {
  const blob = await requestBlob(api.auditCsvPath(query));
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `parley-audit-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
