// SQLite's full-text index of messages, kept by triggers on `messages`: every connection that writes
// messages (the writer thread, the main thread's retention and room deletions, a cascade) keeps it in
// the same transaction without knowing it exists. Plain JavaScript because the writer thread imports
// it (for the SQL function its triggers call); the main thread's side is search/sqlite.ts.
import { splitUnspaced } from './search.text.mjs';

/**
 * The function the triggers give each text through: runs of Chinese, Japanese, Thai … become pairs of
 * characters (search.text.mjs). Every connection that writes messages must register it.
 */
export function registerSearchFunctions(db) {
  db.function('parley_search_text', { deterministic: true }, (text) => splitUnspaced(String(text)));
}

/** FTS5's tokenizer: accents folded; English words stemmed by Porter's algorithm. */
export const tokenizerFor = (language) =>
  language === 'english' ? 'porter unicode61 remove_diacritics 2' : 'unicode61 remove_diacritics 2';

// Contentless (the text is not stored twice) with deletes by rowid; keyed by the message's rowid.
// Rows whose rowid is at or under `backfill_rowid` are the backfill's to index (search/sqlite.ts): the
// triggers leave them alone, so the backfill and the triggers never both write one.
const pending = 'SELECT backfill_rowid FROM search_index WHERE id = 1';
const ddl = (tokenizer) => `
  CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = '', contentless_delete = 1, tokenize = '${tokenizer}');
  CREATE TRIGGER message_search_insert AFTER INSERT ON messages
    WHEN new.deleted = 0 AND new.text <> '' AND new.rowid > (${pending})
    BEGIN INSERT INTO message_search (rowid, body) VALUES (new.rowid, parley_search_text(new.text)); END;
  CREATE TRIGGER message_search_update AFTER UPDATE OF text, deleted ON messages
    WHEN (old.text IS NOT new.text OR old.deleted IS NOT new.deleted) AND old.rowid > (${pending})
    BEGIN
      DELETE FROM message_search WHERE rowid = old.rowid;
      INSERT INTO message_search (rowid, body)
        SELECT new.rowid, parley_search_text(new.text) WHERE new.deleted = 0 AND new.text <> '';
    END;
  CREATE TRIGGER message_search_delete AFTER DELETE ON messages
    WHEN old.rowid > (${pending})
    BEGIN DELETE FROM message_search WHERE rowid = old.rowid; END;`;

const dropAll = `
  DROP TRIGGER IF EXISTS message_search_insert;
  DROP TRIGGER IF EXISTS message_search_update;
  DROP TRIGGER IF EXISTS message_search_delete;
  DROP TABLE IF EXISTS message_search;`;

/**
 * Brings the index in line with the configuration at start-up: built (empty, with every existing
 * message left to the backfill) when it is missing or was built with another tokenizer, dropped when
 * search is switched off. Returns the engine now in place.
 */
export function prepareSearchIndex(db, { enabled, language }) {
  const engine = enabled ? `fts5:${tokenizerFor(language)}` : 'off';
  const state = db.prepare('SELECT engine FROM search_index WHERE id = 1').get();
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'message_search'").get();
  if (state?.engine === engine && (engine === 'off') === !table) return engine;
  db.transaction(() => {
    db.exec(dropAll);
    const { top } = db.prepare('SELECT coalesce(max(rowid), 0) AS top FROM messages').get();
    db.prepare(
      `INSERT INTO search_index (id, engine, backfill_rowid, backfill_id, updated_at) VALUES (1, ?, ?, NULL, ?)
       ON CONFLICT (id) DO UPDATE SET engine = excluded.engine, backfill_rowid = excluded.backfill_rowid,
         backfill_id = NULL, updated_at = excluded.updated_at`,
    ).run(engine, enabled ? top : 0, new Date().toISOString());
    if (enabled) db.exec(ddl(tokenizerFor(language)));
  }).immediate();
  return engine;
}

/**
 * Indexes up to `size` of the messages that were stored before the index was built, newest first (so
 * recent history is searchable soonest), in one short transaction. Returns how many remain to look
 * at: 0 when the backfill is done.
 */
export function backfillBatch(db, size) {
  return db
    .transaction(() => {
      const state = db.prepare('SELECT backfill_rowid AS high FROM search_index WHERE id = 1').get();
      if (!state || state.high <= 0) return 0;
      const rows = db
        .prepare(
          'SELECT rowid AS r, text, deleted FROM messages WHERE rowid <= ? ORDER BY rowid DESC LIMIT ?',
        )
        .all(state.high, size);
      const insert = db.prepare('INSERT INTO message_search (rowid, body) VALUES (?, parley_search_text(?))');
      for (const row of rows) if (!row.deleted && row.text !== '') insert.run(row.r, row.text);
      const next = rows.length < size ? 0 : rows[rows.length - 1].r - 1;
      db.prepare('UPDATE search_index SET backfill_rowid = ? WHERE id = 1').run(next);
      return next;
    })
    .immediate();
}
