import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { AppError } from '../../errors.js';
import { now } from '../ids.js';

/** Failures one address may make on one username before any wait (LOGIN_LIMIT_PER_USER, if lower). */
const freeFailuresPerAddress = 3;
const firstWaitMs = 5_000;
const longestWaitMs = 15 * 60_000;
/** Failures older than this are forgotten. */
const memoryMs = 24 * 3_600_000;

/** 5 s after the first failure past the free ones, then 10, 20, 40 … up to 15 minutes. */
const waitAfter = (failures: number, free: number): number =>
  failures < free ? 0 : Math.min(longestWaitMs, firstWaitMs * 2 ** (failures - free));

/**
 * Sign-in limits that slow a guesser without locking out the owner. Failures are counted per
 * (username, address): each one past the first few doubles the wait before that address may try that
 * name again, and a success clears it. Failures from every address add up too, for an attacker who
 * spreads over many addresses, but that count does not hold back an address the account has signed in
 * from before: the owner at their usual place still gets in while someone hammers the name elsewhere.
 * LOGIN_LIMIT_PER_USER is how many failures, from all addresses together, come before that wait.
 * Beside these, LOGIN_LIMIT_PER_IP bounds what one address tries across all names.
 */
export async function checkLoginAllowed(ctx: Ctx, usernameKey: string, ip: string): Promise<void> {
  const { allowed, retryAfterMs } = await ctx.bus.limiter.hit(
    `login:ip:${ip}`,
    ctx.config.loginLimitPerIp,
    ctx.config.loginWindowMs,
  );
  if (!allowed) throw new AppError('rate_limited', undefined, { retryAfterMs });
  const since = new Date(Date.now() - memoryMs).toISOString();
  const rows = await ctx.store.db
    .selectFrom('login_failures')
    .select(['ip', 'failures', 'last_failed_at'])
    .where('username_key', '=', usernameKey)
    .where('last_failed_at', '>', since)
    .execute();
  const freeForName = ctx.config.loginLimitPerUser;
  const freeHere = Math.min(freeFailuresPerAddress, freeForName);
  const here = rows.find((row) => row.ip === ip);
  const at = Date.now();
  const wait = (lastAt: string, ms: number) => Math.max(0, Date.parse(lastAt) + ms - at);
  let retryAfter = here ? wait(here.last_failed_at, waitAfter(here.failures, freeHere)) : 0;
  const total = rows.reduce((sum, row) => sum + Number(row.failures), 0);
  if (total >= freeForName && !(await isKnownAddress(ctx, usernameKey, ip))) {
    const latest = rows.reduce((max, row) => (row.last_failed_at > max ? row.last_failed_at : max), '');
    retryAfter = Math.max(retryAfter, wait(latest, waitAfter(total, freeForName)));
  }
  if (retryAfter > 0)
    throw new AppError('rate_limited', 'Too many wrong passwords; wait a moment and try again.', {
      retryAfterMs: retryAfter,
    });
}

/** An address the account has had a session from. */
async function isKnownAddress(ctx: Ctx, usernameKey: string, ip: string): Promise<boolean> {
  const row = await ctx.store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select('sessions.id')
    .where('users.username_key', '=', usernameKey)
    .where('sessions.ip', '=', ip)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function noteLoginFailure(ctx: Ctx, usernameKey: string, ip: string): Promise<void> {
  const at = now();
  await ctx.store.db
    .insertInto('login_failures')
    .values({ username_key: usernameKey, ip, failures: 1, last_failed_at: at })
    .onConflict((oc) =>
      oc.columns(['username_key', 'ip']).doUpdateSet({
        failures: sql`login_failures.failures + 1`,
        last_failed_at: at,
      }),
    )
    .execute();
  // Now and then, forget old failures (of every name) so the table stays small.
  if (Math.random() < 0.01)
    await ctx.store.db
      .deleteFrom('login_failures')
      .where('last_failed_at', '<', new Date(Date.now() - memoryMs).toISOString())
      .execute();
}

export async function noteLoginSuccess(ctx: Ctx, usernameKey: string, ip: string): Promise<void> {
  await ctx.store.db
    .deleteFrom('login_failures')
    .where('username_key', '=', usernameKey)
    .where('ip', '=', ip)
    .execute();
}
