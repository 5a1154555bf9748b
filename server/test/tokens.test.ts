import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { readToken, signToken, type TokenKeys } from '../src/domain/accounts/tokens.js';

const keys: TokenKeys = { secret: new TextEncoder().encode('a secret long enough for HS256 tests') };
const other: TokenKeys = { secret: new TextEncoder().encode('another secret, just as long as that') };
const later = () => new Date(Date.now() + 60_000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (secret: Uint8Array, data: string) =>
  createHmac('sha256', secret).update(data).digest('base64url');

/** A token with any header and claims, correctly signed with `keys`. */
function forge(header: object, claims: object, secret = keys.secret) {
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${hmac(secret, body)}`;
}

describe('readToken', () => {
  it('accepts what signToken signs, and nothing it did not', async () => {
    const token = await signToken(keys, { userId: 'u1', sessionId: 's1', expiresAt: later() });
    expect(await readToken(keys, token)).toEqual({ userId: 'u1', sessionId: 's1' });
    expect(await readToken(other, token)).toBeNull();

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${b64({ ...claims, sub: 'u2' })}.${signature}`;
    expect(await readToken(keys, tampered)).toBeNull();
    // Trailing junk the base64url decoder would skip, missing parts, extra parts.
    for (const bad of [`${token}!`, `${token}=`, `${header}.${payload}`, `${token}.x`, '', '..', 'a.b.c'])
      expect(await readToken(keys, bad), bad).toBeNull();
  });

  it('refuses other algorithms, crit headers, expired and not-yet-valid tokens, and missing claims', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const claims = { sub: 'u1', sid: 's1', exp };
    expect(await readToken(keys, forge({ alg: 'HS256' }, claims))).toEqual({ userId: 'u1', sessionId: 's1' });
    expect(await readToken(keys, forge({ alg: 'none' }, claims))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS512' }, claims))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256', crit: ['b64'], b64: false }, claims))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, { ...claims, exp: exp - 120 }))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, { ...claims, nbf: exp }))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, { sub: 'u1', sid: 's1' }))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, { sid: 's1', exp }))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, { sub: 'u1', sid: 7, exp }))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, ['not', 'an', 'object']))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, { ...claims, iat: 'yesterday' }))).toBeNull();
    expect(await readToken(keys, forge({ alg: 'HS256' }, { ...claims, nbf: 'soon' }))).toBeNull();
    // An unsigned token from jose itself.
    const unsigned = `${b64({ alg: 'none' })}.${b64(claims)}.`;
    expect(await readToken(keys, unsigned)).toBeNull();
    // jose agrees on what a valid one looks like.
    const josed = await new SignJWT({ sid: 's9' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u9')
      .setExpirationTime('1m')
      .sign(keys.secret);
    expect(await readToken(keys, josed)).toEqual({ userId: 'u9', sessionId: 's9' });
  });
});
