import type { Ack, AckError } from '@parley/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import type { ParleySocket } from './types.js';

type Reply = (reply: Ack<object>) => void;

function toAckError(error: unknown, log: FastifyBaseLogger): AckError {
  if (error instanceof AppError) {
    const reply: AckError = { code: error.code, message: error.message };
    if (error.retryAfterMs !== undefined) reply.retryAfter = error.retryAfterMs;
    return reply;
  }
  log.error({ err: error }, 'socket handler failed');
  return { code: 'internal', message: 'Something went wrong on the server.' };
}

/**
 * Wraps a socket event handler: validates the payload with its protocol schema, runs the handler and
 * answers the ack with `{ok: true, ...}` or `{ok: false, error}`. An event without an ack callback is
 * handled the same way, its answer dropped; nothing a client sends can throw out of here. The listener
 * is made once per server and finds its socket as `this` (Socket.IO calls listeners on the socket), so
 * a connection carries no closures of its own.
 */
export function handle<S extends z.ZodType, R extends object>(
  schema: S,
  log: FastifyBaseLogger,
  handler: (socket: ParleySocket, payload: z.infer<S>) => Promise<R>,
) {
  return function (this: ParleySocket, ...args: unknown[]): void {
    const last = args.at(-1);
    const reply: Reply = typeof last === 'function' ? (last as Reply) : () => {};
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      reply({
        ok: false,
        error: {
          code: 'validation_failed',
          message: `Invalid payload${where}: ${issue?.message ?? 'not valid'}.`,
        },
      });
      return;
    }
    handler(this, parsed.data).then(
      (result) => reply({ ok: true, ...result }),
      (error: unknown) => reply({ ok: false, error: toAckError(error, log) }),
    );
  };
}
