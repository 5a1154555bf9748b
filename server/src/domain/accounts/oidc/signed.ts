import { jwtVerify, SignJWT } from 'jose';
import type { TokenKeys } from '../tokens.js';

/**
 * Short-lived values the browser carries between requests of the sign-on (the flow's state, nonce and
 * PKCE verifier; then who signed in), signed with the server's secret so that any node can read them
 * and nobody can forge or alter them. Each kind has its own audience: one is never taken for another,
 * nor for a session token.
 */
export async function seal(
  keys: TokenKeys,
  audience: string,
  claims: Record<string, unknown>,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keys.secret);
}

export async function unseal(
  keys: TokenKeys,
  audience: string,
  token: string | undefined,
): Promise<Record<string, unknown> | null> {
  if (!token || token.length > 8192) return null;
  try {
    const { payload } = await jwtVerify(token, keys.secret, { audience, algorithms: ['HS256'] });
    return payload as Record<string, unknown>;
  } catch {
    return null;
  }
}
