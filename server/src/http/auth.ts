import type { FastifyRequest } from 'fastify';
import { type Auth, authenticate } from '../domain/accounts/sessions.js';
import type { Ctx } from '../domain/context.js';
import { fail } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
}

/** An onRequest hook: the bearer token must name a live session. */
export function requireAuth(ctx: Ctx) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    request.auth = await authenticate(ctx, token);
    if (!request.auth) fail('unauthorized');
  };
}

export function authOf(request: FastifyRequest): Auth {
  if (!request.auth) fail('unauthorized');
  return request.auth;
}

export const bearer = [{ bearer: [] }];

/** Where a request comes from, kept on the session it starts (the person's list of sessions). */
export const clientOf = (request: FastifyRequest): { ip: string; userAgent?: string } => {
  const agent = request.headers['user-agent'];
  return agent ? { ip: request.ip, userAgent: agent } : { ip: request.ip };
};
