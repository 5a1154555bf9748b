import type { Ctx } from '../../context.js';

/**
 * Who is at Parley now: a tab in use. Someone whose tabs are all closed, or all hidden or idle past the
 * client's away delay (presence "away"), is not: a push is what reaches them.
 */
export async function activeUsers(ctx: Ctx, userIds: readonly string[]): Promise<Set<string>> {
  const states = await ctx.bus.presence.states(userIds);
  return new Set(userIds.filter((id) => states.get(id) === 'online'));
}
