import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import { consumeAccountToken, issueAccountToken } from './account-tokens.js';
import { appLink, canMail, sendMail } from './mailer.js';

const verifyTtlMs = 24 * 3_600_000;

/**
 * Mails a link that proves the person reads this address; until it is opened the address is not used
 * for password resets (or anyone could point a victim's resets at their own mailbox). Without mail
 * configured the address is kept, unverified.
 */
export async function startEmailVerification(ctx: Ctx, userId: string, email: string): Promise<void> {
  if (!canMail(ctx.config)) return;
  const { token } = await issueAccountToken(ctx, { kind: 'email_verify', userId, email, ttlMs: verifyTtlMs });
  const link = appLink(ctx.config.publicUrl as string, `/verify-email/${token}`);
  try {
    await sendMail(ctx.config, {
      to: email,
      subject: 'Confirm your email address for Parley',
      text: `Open this link to confirm that password resets may be sent to this address:\n\n${link}\n\nIt works once, for a day. If you did not ask for this, ignore this mail.`,
    });
  } catch (error) {
    ctx.log.warn({ err: error }, 'could not send an email verification');
    fail('unavailable', 'The verification mail could not be sent; try again later.');
  }
}

/** Opens a verification link: the address it was sent to becomes verified (if it is still theirs). */
export async function verifyEmail(ctx: Ctx, token: string): Promise<void> {
  const row = await consumeAccountToken(ctx, 'email_verify', token);
  if (!row?.email) fail('email_link_invalid');
  const { numUpdatedRows } = await ctx.store.db
    .updateTable('users')
    .set({ email_verified_at: now() })
    .where('id', '=', row.user_id)
    .where('email', '=', row.email)
    .executeTakeFirst();
  if (Number(numUpdatedRows) !== 1) fail('email_link_invalid');
}
