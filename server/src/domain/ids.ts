import { randomBytes } from 'node:crypto';

// Time-ordered ids: 10 chars of milliseconds then 12 random chars, base32 (Crockford), so ids sort by
// creation in both dialects and index well; callers still treat them as opaque strings.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

export function newId(): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = alphabet[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const bytes = randomBytes(12);
  let tail = '';
  for (const byte of bytes) tail += alphabet[byte % 32];
  return head + tail;
}

export const now = (): string => new Date().toISOString();
