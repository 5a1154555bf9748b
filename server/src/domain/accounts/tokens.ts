import { createHmac, randomBytes, timingSafeEqual, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';

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

/** HS256 keys shorter than the hash's output weaken the signature (RFC 7518 §3.2 asks for 256 bits). */
const minSecretBytes = 32;

function keysOf(secret: string, where: string): TokenKeys {
  if (!secret.trim())
    throw new Error(
      `${where} is empty: it must hold the token signing secret (at least ${minSecretBytes} bytes)`,
    );
  const bytes = new TextEncoder().encode(secret);
  if (bytes.length < minSecretBytes)
    throw new Error(
      `${where} is ${bytes.length} bytes: the token signing secret must be at least ${minSecretBytes} bytes`,
    );
  return { secret: bytes };
}

/**
 * JWT_SECRET if given; otherwise a secret generated once and kept (0600) in DATA_DIR. An empty or
 * short secret stops the start: an empty file (a truncated copy, a failed restore) used to start a node
 * whose every login then failed with a 500.
 */
export function loadTokenKeys(jwtSecret: string | undefined, dataDir: string): TokenKeys {
  if (jwtSecret !== undefined) return keysOf(jwtSecret, 'JWT_SECRET');
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
  return keysOf(fs.readFileSync(file, 'utf8').trim(), file);
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

const base64url = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(part, 'base64url')));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Verifies an HS256 token as jose's `jwtVerify` would for the tokens `signToken` makes: exactly three
 * base64url parts, header alg HS256 with no `crit`, a matching HMAC (compared in constant time), and
 * an `exp` in the future. Done synchronously with node:crypto: every authenticated request verifies a
 * token, and WebCrypto's promise-based HMAC cost ~150 µs of thread-pool round trip per request.
 */
export async function readToken(
  keys: TokenKeys,
  token: string,
): Promise<{ userId: string; sessionId: string } | null> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => base64url.test(part))) return null;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', keys.secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const head = decodeJson(header);
  if (head?.alg !== 'HS256' || 'crit' in head) return null;
  const claims = decodeJson(payload);
  if (!claims || typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) return null;
  for (const claim of ['iat', 'nbf'] as const)
    if (claim in claims && typeof claims[claim] !== 'number') return null;
  if (typeof claims.nbf === 'number' && claims.nbf > Date.now() / 1000) return null;
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
  return { userId: claims.sub, sessionId: claims.sid };
}
