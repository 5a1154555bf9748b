import { randomFillSync } from 'node:crypto';

// Time-ordered ids: 10 chars of milliseconds then 12 random chars, base32 (Crockford), so ids sort by
// creation in both dialects and index well; callers still treat them as opaque strings.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const codes = Array.from(alphabet, (char) => char.charCodeAt(0));

// One call into the CSPRNG per 4 KiB of id material, not one per id: ids are made on every send.
const pool = Buffer.alloc(4096);
let used = pool.length;
// The time part changes once a millisecond, and a busy server makes many ids in one.
let headMs = -1;
let head = '';

/** Made on every send: the random part is one `fromCharCode`, not twelve string concatenations. */
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
    used = 0;
  }
  const p = pool;
  const u = used;
  used += 12;
  const tail = String.fromCharCode(
    codes[(p[u] as number) & 31] as number,
    codes[(p[u + 1] as number) & 31] as number,
    codes[(p[u + 2] as number) & 31] as number,
    codes[(p[u + 3] as number) & 31] as number,
    codes[(p[u + 4] as number) & 31] as number,
    codes[(p[u + 5] as number) & 31] as number,
    codes[(p[u + 6] as number) & 31] as number,
    codes[(p[u + 7] as number) & 31] as number,
    codes[(p[u + 8] as number) & 31] as number,
    codes[(p[u + 9] as number) & 31] as number,
    codes[(p[u + 10] as number) & 31] as number,
    codes[(p[u + 11] as number) & 31] as number,
  );
  return head + tail;
}

export const now = (): string => new Date().toISOString();
