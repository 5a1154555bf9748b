import type { DeleteMeBody } from '@parley/protocol';
import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';
import { audit } from '../admin/audit.js';
import { eraseAccount } from '../admin/delete-user.js';
import { adminUser, keepAnAdmin } from '../admin/users.js';
import { verifyPassword } from './passwords.js';
import type { Auth } from './sessions.js';

/**
 * A person deletes their own account, confirming with their password (a guest has none): the same
 * deletion an admin makes, messages kept under "Deleted user" or removed as they choose. The last
 * admin cannot leave the server without one.
 */
export async function deleteOwnAccount(ctx: Ctx, auth: Auth, input: DeleteMeBody): Promise<void> {
  if (!auth.user.guest) {
    const { allowed, retryAfterMs } = await ctx.bus.limiter.hit(`password:user:${auth.user.id}`, 10, 900_000);
    if (!allowed) throw new AppError('rate_limited', undefined, { retryAfterMs });
    const row = await ctx.store.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', auth.user.id)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(row.password_hash, input.password ?? ''))) fail('wrong_password');
  }
  const target = await adminUser(ctx, auth.user.id);
  await keepAnAdmin(ctx, auth, target, 'user.delete');
  const removed = await eraseAccount(ctx, target, input.messages);
  await audit(ctx, auth, 'user.delete_self', {
    target: { type: 'user', id: target.id, name: target.username },
    detail: { messages: input.messages, removed },
  });
}
