import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';

/**
 * The one check of a message's text, for a send and an edit alike: trimmed, no NUL (PostgreSQL text
 * cannot hold it, so both storages refuse it), within MAX_MESSAGE_LENGTH. Empty only where the message
 * carries something else (files).
 */
export function cleanText(ctx: Ctx, raw: string, options: { allowEmpty?: boolean } = {}): string {
  const text = raw.trim();
  if (!text && !options.allowEmpty) fail('message_empty');
  if (text.includes('\u0000'))
    throw new AppError('validation_failed', 'Messages cannot contain NUL characters.');
  if (text.length > ctx.config.maxMessageLength) {
    throw new AppError('message_too_long', `Messages are at most ${ctx.config.maxMessageLength} characters.`);
  }
  return text;
}
