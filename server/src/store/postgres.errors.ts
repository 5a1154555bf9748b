import { AppError } from '../errors.js';

// Socket errors while reaching the server, and the SQLSTATEs of a server that is going away or not
// taking connections (class 08: connection exception; 57P0x: shutting down; 53300: no free slots).
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const serverCodes = new Set(['57P01', '57P02', '57P03', '53300']);
// pg reports a dropped connection or a pool that gave up waiting without any code.
const messages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /connection ended/i,
  /query read timeout/i,
];

/** True when PostgreSQL could not be reached, as opposed to refusing the statement itself. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (socketCodes.has(code) || serverCodes.has(code) || code.startsWith('08'))) {
    return true;
  }
  if (error instanceof AggregateError && error.errors.some(isConnectionError)) return true;
  return messages.some((pattern) => pattern.test(error.message));
}

// disk_full, insufficient_resources, out_of_memory; read_only_sql_transaction (a standby, or
// default_transaction_read_only set while the disk is rescued).
const unwritableCodes = new Set(['53100', '53000', '53200', '25006']);

/** PostgreSQL cannot write: its disk is full or it is read-only. */
export function isPgUnwritable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && unwritableCodes.has(code);
}

/**
 * Maps what PostgreSQL says onto the error catalog where the caller is owed a clear answer rather than
 * a 500. An outage is "try again shortly" (503 `unavailable`): a send made while the database is down
 * is refused with that code and never acknowledged. Text with U+0000 is bad input: SQLite stores it,
 * PostgreSQL's text type cannot, so it is refused (400) instead of failing.
 */
export function translatePgError(error: unknown): never {
  if (isConnectionError(error)) {
    throw new AppError('unavailable', 'The database is unreachable right now; try again shortly.');
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '22021' || code === '22P05') {
    throw new AppError('validation_failed', 'Text must not contain NUL characters.');
  }
  throw error;
}
