import { checkPassword, hashPassword } from '../domain/accounts/passwords.js';
import { checkUsername } from '../domain/accounts/accounts.js';
import { newId, now } from '../domain/ids.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/index.js';

type Say = (line: string) => void;

function explain(error: unknown): never {
  if (error instanceof AppError) throw new Error(error.message);
  throw error;
}

/** An admin account, made with the same username and password rules as registering. */
export async function createAdmin(store: Store, username: string, password: string, say: Say): Promise<void> {
  try {
    checkUsername(username);
    checkPassword(password, username);
  } catch (error) {
    explain(error);
  }
  const taken = await store.db
    .selectFrom('users')
    .select('id')
    .where('username_key', '=', username.toLowerCase())
    .executeTakeFirst();
  if (taken) throw new Error(`the username ${username} is taken`);
  await store.db
    .insertInto('users')
    .values({
      id: newId(),
      username,
      username_key: username.toLowerCase(),
      password_hash: await hashPassword(password),
      guest: 0,
      admin: 1,
      created_at: now(),
      disabled_at: null,
      deleted_at: null,
      avatar_id: null,
    })
    .execute();
  say(`created the admin ${username}`);
}

/** A new password; every session of the account ends (sockets re-check their session). */
export async function resetPassword(
  store: Store,
  username: string,
  password: string,
  say: Say,
): Promise<void> {
  const user = await store.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username_key', '=', username.toLowerCase())
    .where('deleted_at', 'is', null)
    .where('guest', '=', 0)
    .executeTakeFirst();
  if (!user) throw new Error(`no account named ${username}`);
  try {
    checkPassword(password, user.username);
  } catch (error) {
    explain(error);
  }
  const passwordHash = await hashPassword(password);
  const at = now();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    await trx
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
  });
  say(`set a new password for ${user.username}; their sessions have ended`);
}
