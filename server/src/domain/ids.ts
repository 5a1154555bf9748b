import { randomFillSync } from 'node:crypto';

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
  let tail = '';
  for (let i = 0; i < 12; i++) tail += alphabet[nextRandomByte() % 32];
  return head + tail;
}

// One call into the CSPRNG per 4 KiB of id material, not one per id: ids are made on every send.
const pool = Buffer.alloc(4096);
let used = pool.length;
function nextRandomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++] as number;
}

export const now = (): string => new Date().toISOString();
