import type { LimitAction } from '@parley/protocol';
import type { Ctx } from '../context.js';
import { AppError } from '../../errors.js';

const refusals: Record<LimitAction, string> = {
  send: 'You are sending messages too fast.',
  edit: 'You are editing messages too fast.',
  reaction: 'You are reacting too fast.',
  typing: 'Too many typing updates.',
  roomCreate: 'You have created too many rooms for now.',
  memberAdd: 'You have added too many people to rooms for now.',
  dmOpen: 'You have started too many new conversations for now.',
  upload: 'You are uploading too many files for now.',
  report: 'You have sent too many reports for now.',
  moderate: 'Too many moderation actions at once.',
};

function inWords(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${Math.ceil(minutes / 60)} hours`;
}

/**
 * One action against the user's token bucket for it (shared by every node through the bus), sized by the
 * live settings. Over the limit: `rate_limited`, with the wait in `retryAfter`. The in-process buckets
 * answer at once, and then so does this (undefined, or a throw): every send passes here, and an async
 * function's promise per send was measurable in the ingest bench. Callers `await` it either way.
 */
export function limit(ctx: Ctx, action: LimitAction, userId: string): Promise<void> | undefined {
  const { count, seconds } = ctx.settings.current.rateLimits[action];
  const taken = ctx.bus.buckets.take(`${action}:${userId}`, count, seconds * 1000);
  if (taken instanceof Promise) return taken.then((answer) => refuseOver(action, answer));
  refuseOver(action, taken);
  return undefined;
}

function refuseOver(
  action: LimitAction,
  { allowed, retryAfterMs }: { allowed: boolean; retryAfterMs: number },
) {
  if (!allowed) {
    throw new AppError('rate_limited', `${refusals[action]} Try again in ${inWords(retryAfterMs)}.`, {
      retryAfterMs,
    });
  }
}
