import type { Ctx } from '../../context.js';

type WithStates = { states?: (ids: readonly string[]) => Promise<Map<string, string>> };

/**
 * Who is at Parley now: a tab in use. Where presence knows "away" (every tab hidden or idle past the
 * client's delay), an away person is not active; otherwise any connected tab counts.
 */
export async function activeUsers(ctx: Ctx, userIds: readonly string[]): Promise<Set<string>> {
  const presence = ctx.bus.presence as typeof ctx.bus.presence & WithStates;
  if (presence.states) {
    const states = await presence.states(userIds);
    return new Set(userIds.filter((id) => states.get(id) === 'online'));
  }
  return presence.online(userIds);
}
