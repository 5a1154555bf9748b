import { type ErrorCode, errorCatalog, isErrorCode } from '@parley/protocol';

/** A failed call, carrying the catalog code so a form can place the words next to the right field. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

/** Words for a person: the server's message when it sent one, else the catalog's, never a raw code. */
export function describeError(code: unknown, message?: unknown): ApiError {
  const known: ErrorCode = isErrorCode(code) ? code : 'internal';
  const words = typeof message === 'string' && message.trim() ? message : errorCatalog[known].message;
  return new ApiError(known, words, errorCatalog[known].status);
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Could not reach the server. Check your connection and try again.';
}

/** A refusal about a room's name (taken, or not a valid name): shown under the name field. */
export const isRoomNameError = (error: unknown): error is ApiError =>
  error instanceof ApiError && (error.code === 'room_name_taken' || error.code === 'validation_failed');
