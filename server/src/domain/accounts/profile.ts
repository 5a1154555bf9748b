import { type Profile, type ProfilePatch, profileLimits, type User } from '@parley/protocol';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { liveStatus, summaryOf, toUser } from '../mapping.js';
import type { UsersTable } from '../../store/schema.js';
import { displayNameKey } from '../../store/search.text.mjs';
import { startEmailVerification } from './email.js';
import type { Auth } from './sessions.js';

/** Text a person shows to others: one line, no control or formatting characters, spaces collapsed. */
function oneLine(raw: string, max: number, field: string): string | null {
  const cleaned = raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  if ([...cleaned].length > max) fail('invalid_profile', `The ${field} is at most ${max} characters.`);
  return cleaned || null;
}

function checkTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    fail('invalid_time_zone');
  }
}

const emailPattern = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/;

function checkEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > profileLimits.emailMax || !emailPattern.test(email)) fail('invalid_email');
  return email;
}

/** `PATCH /api/me`: each field given changes (null or empty clears it); nothing changes if one is bad. */
export async function updateProfile(ctx: Ctx, auth: Auth, patch: ProfilePatch): Promise<User> {
  const set: Partial<UsersTable> = {};
  if (patch.displayName !== undefined) {
    set.display_name =
      patch.displayName === null ? null : oneLine(patch.displayName, profileLimits.displayNameMax, 'name');
    set.display_name_key = displayNameKey(set.display_name);
  }
  if (patch.status !== undefined) {
    const text = patch.status === null ? null : oneLine(patch.status.text, profileLimits.statusMax, 'status');
    const expiresAt = patch.status?.expiresAt ?? null;
    if (text !== null && expiresAt !== null) {
      const at = Date.parse(expiresAt);
      if (!Number.isFinite(at) || at <= Date.now())
        fail('invalid_profile', 'A status expires in the future.');
    }
    set.status_text = text;
    set.status_expires_at =
      text === null || expiresAt === null ? null : new Date(Date.parse(expiresAt)).toISOString();
  }
  if (patch.timeZone !== undefined) set.time_zone = patch.timeZone ? checkTimeZone(patch.timeZone) : null;
  let newEmail: string | null | undefined;
  if (patch.email !== undefined) {
    if (auth.user.guest && patch.email) fail('forbidden', 'Keep the account first to add an email address.');
    newEmail = patch.email ? checkEmail(patch.email) : null;
    if (newEmail !== (auth.user.email ?? null)) {
      set.email = newEmail;
      set.email_verified_at = null;
    } else newEmail = undefined;
  }
  if (Object.keys(set).length > 0) {
    await ctx.store.db.updateTable('users').set(set).where('id', '=', auth.user.id).execute();
    if ('display_name' in set) ctx.events.emit('user.renamed', { userId: auth.user.id });
  }
  if (newEmail) await startEmailVerification(ctx, auth.user.id, newEmail);
  const row = await ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', auth.user.id)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/** A person as their card shows them, to anyone signed in (the same things their messages show). */
export async function profileOf(ctx: Ctx, userId: string): Promise<Profile> {
  const row = await ctx.store.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) fail('user_not_found');
  const online = await ctx.bus.presence.online([row.id]);
  const profile: Profile = { ...summaryOf(row), guest: row.guest === 1, online: online.has(row.id) };
  const status = liveStatus(row);
  if (status) profile.status = status;
  if (row.time_zone) profile.timeZone = row.time_zone;
  if (row.deleted_at) profile.deleted = true;
  return profile;
}
