// SQLite's full-text index of messages. New, edited and deleted messages are indexed by the writer
// thread itself (`searchWriter`), at the end of each batch's transaction: a message's text changes only
// there. A row deleted from `messages` (a cleared history, a deleted room, on any connection) leaves the
// index by a trigger, in the same transaction. Plain JavaScript because the writer thread imports it;
// the main thread's side is search/sqlite.ts.
//
// Why not triggers for inserts and edits too, as before: a statement whose trigger writes to the FTS5
// table takes a statement journal, and FTS5 writes its pending terms out at every such savepoint. That
// made the index cost the writer ~18 µs per message against ~5 µs for the same rows inserted by
// plain statements after the batch's own (bench/src/search-write.ts; bench/results.md).
import { splitUnspaced } from './search.text.mjs';

/** FTS5's tokenizer: accents folded; English words stemmed by Porter's algorithm. */
export const tokenizerFor = (language) =>
  language === 'english' ? 'porter unicode61 remove_diacritics 2' : 'unicode61 remove_diacritics 2';

// Contentless (the text is not stored twice) with deletes by rowid; keyed by the message's rowid.
// Rows whose rowid is at or under `backfill_rowid` are the backfill's to index (search/sqlite.ts): the
// writer and the trigger leave them alone, so the backfill and they never both write one.
const pending = 'SELECT backfill_rowid FROM search_index WHERE id = 1';
const ddl = (tokenizer) => `
  CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = '', contentless_delete = 1, tokenize = '${tokenizer}');
  CREATE TRIGGER message_search_delete AFTER DELETE ON messages
    WHEN old.rowid > (${pending})
    BEGIN DELETE FROM message_search WHERE rowid = old.rowid; END;`;

// The insert and update triggers of the first version (the writer does their work now).
const dropLegacy = `
  DROP TRIGGER IF EXISTS message_search_insert;
  DROP TRIGGER IF EXISTS message_search_update;`;
const dropAll = `${dropLegacy}
  DROP TRIGGER IF EXISTS message_search_delete;
  DROP TABLE IF EXISTS message_search;`;

/**
 * Brings the index in line with the configuration at start-up: built (empty, with every existing
 * message left to the backfill) when it is missing or was built with another tokenizer, dropped when
 * search is switched off. Returns the engine now in place.
 */
export function prepareSearchIndex(db, { enabled, language }) {
  const engine = enabled ? `fts5:${tokenizerFor(language)}` : 'off';
  // Run before the writer thread starts, which from now on does what the legacy triggers did.
  db.exec(dropLegacy);
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
      const insert = db.prepare('INSERT INTO message_search (rowid, body) VALUES (?, ?)');
      for (const row of rows) if (!row.deleted && row.text !== '') insert.run(row.r, splitUnspaced(row.text));
      const next = rows.length < size ? 0 : rows[rows.length - 1].r - 1;
      db.prepare('UPDATE search_index SET backfill_rowid = ? WHERE id = 1').run(next);
      return next;
    })
    .immediate();
}

/**
 * The writer thread's side (sqlite.writer.mjs), undefined while search is off: a batch notes each
 * message whose text it stores or changes, and `apply` writes their final texts into the index after
 * every other write of the batch, one plain statement per row (none takes a statement journal, so FTS5
 * keeps the whole batch's terms in memory and writes them once, at the commit).
 */
export function searchWriter(db, enabled) {
  if (!enabled) return undefined;
  const below = db.prepare(pending).pluck();
  const insert = db.prepare('INSERT INTO message_search (rowid, body) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM message_search WHERE rowid = ?');
  return {
    /** A batch's notes: rowid → { fresh (stored by this batch), text ('' or null: none), roomId, seq }. */
    batch() {
      const changes = new Map();
      return {
        stored(rowid, roomId, seq, text) {
          changes.set(rowid, { fresh: true, text, roomId, seq });
        },
        changed(rowid, roomId, seq, text) {
          const known = changes.get(rowid);
          if (known) known.text = text;
          else changes.set(rowid, { fresh: false, text, roomId, seq });
        },
        /** A cleared history's rows left the index by its trigger: nothing of them is written after. */
        cleared(roomId, uptoSeq) {
          for (const [rowid, change] of changes)
            if (change.roomId === roomId && change.seq <= uptoSeq) changes.delete(rowid);
        },
        apply() {
          if (changes.size === 0) return;
          const backfill = below.get() ?? 0;
          // Every delete before every insert: a DELETE statement's savepoint would write the inserts'
          // pending terms out, one segment per edit.
          for (const [rowid, change] of changes) if (!change.fresh && rowid > backfill) remove.run(rowid);
          for (const [rowid, change] of changes)
            if (change.text && rowid > backfill) insert.run(rowid, splitUnspaced(change.text));
        },
      };
    },
  };
}
