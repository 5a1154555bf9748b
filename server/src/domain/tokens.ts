import { randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { jwtVerify, SignJWT } from 'jose';

export interface TokenKeys {
  secret: Uint8Array;
  /** The secret imported once as a WebCrypto key; importing it on every verify doubled the cost. */
  key?: Promise<webcrypto.CryptoKey>;
}

function keyOf(keys: TokenKeys): Promise<webcrypto.CryptoKey> {
  keys.key ??= webcrypto.subtle.importKey('raw', keys.secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  return keys.key;
}

/** JWT_SECRET if given; otherwise a secret generated once and kept (0600) in DATA_DIR. */
export function loadTokenKeys(jwtSecret: string | undefined, dataDir: string): TokenKeys {
  if (jwtSecret) return { secret: new TextEncoder().encode(jwtSecret) };
  const file = path.join(dataDir, 'jwt-secret');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: read theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { secret: new TextEncoder().encode(fs.readFileSync(file, 'utf8').trim()) };
}

/** The token names a session; the session row decides whether it still works. */
export async function signToken(
  keys: TokenKeys,
  claims: { userId: string; sessionId: string; expiresAt: Date },
) {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(claims.expiresAt)
    .sign(await keyOf(keys));
}

export async function readToken(
  keys: TokenKeys,
  token: string,
): Promise<{ userId: string; sessionId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, await keyOf(keys), { algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { userId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}
