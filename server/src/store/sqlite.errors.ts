/**
 * SQLite's codes for a database that cannot be written: the disk (or the file's quota) is full, the file
 * or its folder became read-only, or the disk itself fails. These are the machine's state, not a bug:
 * the caller gets 503 `unavailable` and the node reports not-ready until a write succeeds again.
 */
export function isUnwritable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code === 'SQLITE_FULL' ||
      code.startsWith('SQLITE_READONLY') ||
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_CANTOPEN'))
  );
}
