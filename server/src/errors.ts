import { type ErrorCode, errorCatalog } from '@parley/protocol';

/** A refusal the caller should see: a code from the catalog and, optionally, a more precise message. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, message?: string, options?: { retryAfterMs?: number }) {
    super(message ?? errorCatalog[code].message);
    this.code = code;
    this.status = errorCatalog[code].status;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

export function fail(code: ErrorCode, message?: string): never {
  throw new AppError(code, message);
}
