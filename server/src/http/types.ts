import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Ctx } from '../domain/context.js';
import type { MessageWriter } from '../domain/messages/writer.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface Deps {
  ctx: Ctx;
  writer: MessageWriter;
}

/**
 * For hot routes whose replies the domain builds field by field (domain/mapping.ts): the reply is
 * written with JSON.stringify instead of being parsed again by its zod schema, which for a page of 50
 * messages allocated a copy of every message. The schema still documents the reply in /openapi.json.
 */
export const builtReply = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };
