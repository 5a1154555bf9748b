import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';

// A UTF-16 surrogate without its pair: not a character. SQLite and PostgreSQL would each store something
// else than what was acknowledged (U+FFFD, or an error), so it is refused before either sees it.
const loneSurrogate = /\p{Cs}/u;
// What shows something: not a space, zero-width or other default-ignorable character (U+200B, U+2060,
// U+FEFF, variation selectors, Hangul fillers). A message without one is empty.
const visible = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u;

/** Characters as people count them (code points), not UTF-16 units: an emoji is one, not two. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * The one check of a message's text, for a send and an edit alike, the same on both storages: NFC (an
 * "é" typed as e + U+0301 is stored as the one character it is), trimmed, no lone surrogate, no NUL
 * (PostgreSQL text cannot hold it), not only invisible characters, and at most MAX_MESSAGE_LENGTH
 * characters. Empty only where the message carries something else (files).
 */
export function cleanText(ctx: Ctx, raw: string, options: { allowEmpty?: boolean } = {}): string {
  if (loneSurrogate.test(raw))
    throw new AppError('validation_failed', 'Messages cannot contain unpaired UTF-16 surrogates.');
  let text = raw.normalize('NFC').trim();
  if (!visible.test(text)) text = '';
  if (!text && !options.allowEmpty) fail('message_empty');
  if (text.includes('\u0000'))
    throw new AppError('validation_failed', 'Messages cannot contain NUL characters.');
  // A string has at least as many UTF-16 units as code points: only a long one needs counting.
  if (text.length > ctx.config.maxMessageLength && codePoints(text) > ctx.config.maxMessageLength) {
    throw new AppError('message_too_long', `Messages are at most ${ctx.config.maxMessageLength} characters.`);
  }
  return text;
}
