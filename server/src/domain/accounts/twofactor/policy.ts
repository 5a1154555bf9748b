import type { Ctx } from '../../context.js';

/** Whether the server's setting obliges this person to use two-factor (guests have no password to guard). */
export function twoFactorRequired(
  ctx: Ctx,
  user: { admin: boolean | number; guest: boolean | number },
): boolean {
  if (user.guest) return false;
  const requirement = ctx.settings.current.twoFactor;
  return requirement === 'everyone' || (requirement === 'admins' && Boolean(user.admin));
}
