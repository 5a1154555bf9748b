import { limits } from '@parley/protocol';
import { isUniqueViolation } from '../../store/errors.js';
import type { UserRow } from '../../store/schema.js';
import type { Auth } from './sessions.js';
import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';
import { guestName } from './guest-names.js';
import { newId, now } from '../ids.js';
import { toUser } from '../mapping.js';
import { checkPassword, hashPassword, verifyPassword } from './passwords.js';
import { joinDefaultRoom } from '../rooms/membership.js';
import { checkLoginAllowed, noteLoginFailure, noteLoginSuccess } from './login-limits.js';
import { startSession } from './sessions.js';
import { signToken } from './tokens.js';
import { admit } from '../admin/registration.js';
import { afterFirstFactor } from './twofactor/signin.js';

export function checkUsername(username: string): void {
  if (
    username.length < limits.usernameMin ||
    username.length > limits.usernameMax ||
    !limits.usernamePattern.test(username)
  ) {
    fail('invalid_username');
  }
  if (/^guest-/i.test(username))
    fail('invalid_username', 'Names starting with "guest-" are kept for guests.');
}

async function insertUser(ctx: Ctx, row: UserRow): Promise<void> {
  try {
    await ctx.store.db.insertInto('users').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) fail('username_taken');
    throw error;
  }
}

/**
 * Whoever first gets an account with a password runs the server (registering, or upgrading from guest),
 * and so does anyone named in ADMIN_USERNAMES. Two first accounts at the very same moment may both
 * become admins; that errs on the side of a server that has one.
 */
export async function becomesAdmin(ctx: Ctx, username: string): Promise<boolean> {
  if (ctx.config.adminUsernames.includes(username.toLowerCase())) return true;
  const admin = await ctx.store.db
    .selectFrom('users')
    .select('id')
    .where('admin', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return admin === undefined;
}

/** Account creation per IP, registered and guest alike: each one costs a hash, rows and a broadcast. */
async function limitSignups(ctx: Ctx, ip: string): Promise<void> {
  const { allowed, retryAfterMs } = await ctx.bus.limiter.hit(
    `signup:ip:${ip}`,
    ctx.config.signupLimitPerIp,
    ctx.config.signupWindowMs,
  );
  if (!allowed)
    throw new AppError('rate_limited', 'Too many new accounts from this address; try again later.', {
      retryAfterMs,
    });
}

export async function register(
  ctx: Ctx,
  input: { username: string; password: string; ip: string; userAgent?: string; invite?: string },
) {
  if (!ctx.settings.current.passwordLogin) fail('password_login_disabled');
  checkUsername(input.username);
  checkPassword(input.password, input.username);
  await limitSignups(ctx, input.ip);
  const admission = await admit(ctx, 'register', input.invite);
  const passwordHash = await hashPassword(input.password);
  const row: UserRow = {
    id: newId(),
    username: input.username,
    username_key: input.username.toLowerCase(),
    password_hash: passwordHash,
    guest: 0,
    admin: (await becomesAdmin(ctx, input.username)) ? 1 : 0,
    created_at: now(),
    disabled_at: null,
    deleted_at: null,
    avatar_id: null,
  };
  await insertUser(ctx, row).catch(async (error: unknown) => {
    await admission.failed();
    throw error;
  });
  await joinDefaultRoom(ctx, row);
  return startSession(ctx, row, input);
}

export async function login(
  ctx: Ctx,
  input: { username: string; password: string; ip: string; userAgent?: string },
) {
  if (!ctx.settings.current.passwordLogin) fail('password_login_disabled');
  const usernameKey = input.username.toLowerCase().slice(0, 64);
  await checkLoginAllowed(ctx, usernameKey, input.ip);
  const user = await ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('username_key', '=', usernameKey)
    .executeTakeFirst();
  // Same answer, and about the same time, for an unknown user and a wrong password.
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok) {
    await noteLoginFailure(ctx, usernameKey, input.ip);
    fail('invalid_credentials');
  }
  await noteLoginSuccess(ctx, usernameKey, input.ip);
  // Said only to someone who knows the password: it does not tell a guesser the account exists.
  if (user.disabled_at !== null) fail('account_disabled');
  // Two-factor, when on for this account (or required of it), comes between the password and a session.
  return afterFirstFactor(ctx, user, input);
}

export async function createGuest(ctx: Ctx, input: { nickname?: string; ip: string; userAgent?: string }) {
  await admit(ctx, 'guest');
  await limitSignups(ctx, input.ip);
  for (let attempt = 0; ; attempt++) {
    const username = guestName(input.nickname);
    const row: UserRow = {
      id: newId(),
      username,
      username_key: username.toLowerCase(),
      password_hash: null,
      guest: 1,
      admin: 0,
      created_at: now(),
      disabled_at: null,
      deleted_at: null,
      avatar_id: null,
    };
    try {
      await insertUser(ctx, row);
    } catch (error) {
      if (error instanceof AppError && error.code === 'username_taken' && attempt < 5) continue;
      throw error;
    }
    await joinDefaultRoom(ctx, row);
    return startSession(ctx, row, input);
  }
}

/** A guest keeps its id, and so its rooms and messages, when it picks a username and password. */
export async function upgradeGuest(
  ctx: Ctx,
  auth: Auth,
  input: { username: string; password: string; invite?: string },
) {
  if (!auth.user.guest) fail('not_a_guest');
  checkUsername(input.username);
  checkPassword(input.password, input.username);
  const admission = await admit(ctx, 'upgrade', input.invite);
  const passwordHash = await hashPassword(input.password);
  const admin = await becomesAdmin(ctx, input.username);
  try {
    const { numUpdatedRows } = await ctx.store.db
      .updateTable('users')
      .set({
        username: input.username,
        username_key: input.username.toLowerCase(),
        password_hash: passwordHash,
        guest: 0,
        ...(admin ? { admin: 1 } : {}),
      })
      .where('id', '=', auth.user.id)
      .where('guest', '=', 1)
      .executeTakeFirst();
    // Two upgrades of one guest at once: only the first is the account's; the other is refused.
    if (Number(numUpdatedRows) !== 1) fail('not_a_guest');
  } catch (error) {
    await admission.failed();
    if (isUniqueViolation(error)) fail('username_taken');
    throw error;
  }
  ctx.events.emit('user.renamed', { userId: auth.user.id });
  const row = await ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', auth.user.id)
    .executeTakeFirstOrThrow();
  const expiresAt = new Date(Date.now() + ctx.config.sessionTtlDays * 86_400_000);
  await ctx.store.db
    .updateTable('sessions')
    .set({ expires_at: expiresAt.toISOString() })
    .where('id', '=', auth.sessionId)
    .execute();
  const token = await signToken(ctx.tokens, { userId: row.id, sessionId: auth.sessionId, expiresAt });
  return { user: toUser(row), token };
}
