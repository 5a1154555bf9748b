// Types of search.sqlite.mjs (SQLite's full-text index, kept by triggers).
import type SQLite from 'better-sqlite3';

export function registerSearchFunctions(db: SQLite.Database): void;
export function tokenizerFor(language: string): string;
export function prepareSearchIndex(
  db: SQLite.Database,
  options: { enabled: boolean; language: string },
): string;
export function backfillBatch(db: SQLite.Database, size: number): number;
