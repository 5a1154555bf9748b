import { jwtVerify, SignJWT } from 'jose';
import type { TokenKeys } from '../tokens.js';

/**
 * The "second step" ticket: proof that the first factor (the password, or the provider) succeeded a
 * few minutes ago. It is signed with the server's token secret but carries an audience and no session
 * id, so it can never pass for a session token (`readToken` needs `sid`), nor a session token for it.
 */
const audience = 'parley:second-step';
export const ticketTtlMs = 5 * 60_000;

export interface Ticket {
  userId: string;
  enrol: boolean;
}

export async function signTicket(
  keys: TokenKeys,
  ticket: Ticket,
): Promise<{ ticket: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ticketTtlMs);
  const token = await new SignJWT({ enrol: ticket.enrol })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(ticket.userId)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(keys.secret);
  return { ticket: token, expiresAt };
}

export async function readTicket(keys: TokenKeys, token: string): Promise<Ticket | null> {
  try {
    const { payload } = await jwtVerify(token, keys.secret, { audience, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || 'sid' in payload) return null;
    return { userId: payload.sub, enrol: payload.enrol === true };
  } catch {
    return null;
  }
}
