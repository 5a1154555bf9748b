import { AppError } from '../../../errors.js';
import type { Ctx } from '../../context.js';

/**
 * Codes tried per account: a million six-digit codes, three of them right at any moment, make ten
 * tries per five minutes a guess that takes years. Keyed on the account, not the address: whoever
 * gets here already knows the password (or holds the session), and an address is cheap to change.
 */
export async function limitCodeAttempts(ctx: Ctx, userId: string): Promise<void> {
  const { allowed, retryAfterMs } = await ctx.bus.limiter.hit(`2fa:user:${userId}`, 10, 5 * 60_000);
  if (!allowed) throw new AppError('rate_limited', undefined, { retryAfterMs });
}
