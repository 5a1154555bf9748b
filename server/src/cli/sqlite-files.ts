import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** What a SQLite Parley keeps in DATA_DIR, besides the blobs under files/. */
export const databaseName = 'parley.sqlite';
export const secretNames = ['jwt-secret', 'vapid.json'];

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, databaseName);
}

/** `PRAGMA integrity_check` and the foreign keys: the problems found, none when whole. */
export function integrityProblems(file: string): string[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
    const keys = db.pragma('foreign_key_check') as { table: string; parent: string }[];
    for (const key of keys) problems.push(`a row of ${key.table} points at a missing ${key.parent} row`);
    return problems;
  } finally {
    db.close();
  }
}

/** Blob keys the database knows (a file and, for images, its thumbnail `ID.t`). */
export function knownBlobKeys(file: string): Set<string> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, thumb_size FROM files').all() as {
      id: string;
      thumb_size: number | null;
    }[];
    const keys = new Set<string>();
    for (const row of rows) {
      keys.add(row.id);
      if (row.thumb_size !== null) keys.add(`${row.id}.t`);
    }
    return keys;
  } finally {
    db.close();
  }
}

/** Blob keys on disk under DATA_DIR/files (fanned out by the key's last two characters). */
export function blobKeysOnDisk(filesDir: string): Set<string> {
  const keys = new Set<string>();
  if (!fs.existsSync(filesDir)) return keys;
  for (const fan of fs.readdirSync(filesDir, { withFileTypes: true })) {
    if (!fan.isDirectory()) continue;
    for (const entry of fs.readdirSync(path.join(filesDir, fan.name))) keys.add(entry);
  }
  return keys;
}
