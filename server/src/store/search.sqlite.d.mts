// Types of search.sqlite.mjs (SQLite's full-text index, kept by the writer thread and a trigger).
import type SQLite from 'better-sqlite3';

export function tokenizerFor(language: string): string;
export function prepareSearchIndex(
  db: SQLite.Database,
  options: { enabled: boolean; language: string },
): string;
export function backfillBatch(db: SQLite.Database, size: number): number;

export interface SearchBatch {
  stored(rowid: number, roomId: string, seq: number, text: string): void;
  changed(rowid: number, roomId: string, seq: number, text: string | null): void;
  cleared(roomId: string, uptoSeq: number): void;
  apply(): void;
}
export function searchWriter(db: SQLite.Database, enabled: boolean): { batch(): SearchBatch } | undefined;
