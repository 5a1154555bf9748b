import { randomFillSync } from 'node:crypto';

// Time-ordered ids: 10 chars of milliseconds then 12 random chars, base32 (Crockford), so ids sort by
// creation in both dialects and index well; callers still treat them as opaque strings.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const codes = Array.from(alphabet, (char) => char.charCodeAt(0));

// One call into the CSPRNG per 4 KiB of id material, not one per id: ids are made on every send. Each
// byte is turned into an alphabet character as the pool is filled (the low 5 bits: 256 is a multiple of
// 32, so every character is equally likely), so an id's random part is one slice of it.
const pool = Buffer.alloc(4096);
let used = pool.length;
// The time part changes once a millisecond, and a busy server makes many ids in one.
let headMs = -1;
let head = '';

export function newId(): string {
  const ms = Date.now();
  if (ms !== headMs) {
    let time = ms;
    head = '';
    for (let i = 0; i < 10; i++) {
      head = alphabet[time % 32] + head;
      time = Math.floor(time / 32);
    }
    headMs = ms;
  }
  if (used + 12 > pool.length) {
    randomFillSync(pool);
    for (let i = 0; i < pool.length; i++) pool[i] = codes[(pool[i] as number) & 31] as number;
    used = 0;
  }
  used += 12;
  return head + pool.toString('latin1', used - 12, used);
}

export const now = (): string => new Date().toISOString();
