import { STATUS_CODES } from 'node:http';
import { type ErrorBody, type ErrorCode, errorCatalog } from '@parley/protocol';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import type { App } from './types.js';

export function errorBody(code: ErrorCode, message?: string, retryAfterMs?: number): ErrorBody {
  const statusCode = errorCatalog[code].status;
  const body: ErrorBody = {
    statusCode,
    code,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message: message ?? errorCatalog[code].message,
  };
  if (retryAfterMs !== undefined) body.retryAfter = retryAfterMs;
  return body;
}

// Fastify's own refusals (bad JSON, body too large, ...) mapped onto the catalog.
const byStatus: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** One error shape on the wire, whatever went wrong. */
export function installErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(error.retryAfterMs / 1000));
      return reply.status(error.status).send(errorBody(error.code, error.message, error.retryAfterMs));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const where = issue?.instancePath
        ? `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`
        : error.validationContext;
      return reply
        .status(400)
        .send(
          errorBody('validation_failed', `Invalid ${where ?? 'request'}: ${issue?.message ?? 'not valid'}.`),
        );
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    const code = byStatus[status];
    if (status < 500 && code) return reply.status(status).send(errorBody(code, error.message));
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('internal'));
  });
}
