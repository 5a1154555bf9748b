import { describe, expect, it } from 'vitest';
import { newId } from '../src/domain/ids.js';

describe('newId', () => {
  it('makes 22 base32 characters, the time first, unique and in creation order across milliseconds', async () => {
    const first = Array.from({ length: 5_000 }, () => newId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = Array.from({ length: 5_000 }, () => newId());
    const all = [...first, ...later];
    for (const id of all) expect(id).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]{22}$/);
    expect(new Set(all).size).toBe(all.length);
    // The first ten characters are the milliseconds: every later id sorts after every earlier one.
    const lastOfFirst = [...first].sort().at(-1) as string;
    for (const id of later) expect(id.slice(0, 10) > lastOfFirst.slice(0, 10)).toBe(true);
    const ms = Date.now();
    let time = 0;
    for (const char of newId().slice(0, 10))
      time = time * 32 + '0123456789abcdefghjkmnpqrstvwxyz'.indexOf(char);
    expect(Math.abs(time - ms)).toBeLessThan(1_000);
    // Every character of the random part turns up.
    expect(new Set(all.flatMap((id) => [...id.slice(10)])).size).toBe(32);
  });
});
