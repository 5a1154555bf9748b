import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { StoredRow } from '../ops.mjs';
import type { Database } from '../schema.js';
import { foldAccents, isSingleUnspaced, splitUnspaced, splitUnspacedQuery } from '../search.text.mjs';
import { allOf, messageFilters } from './filters.js';
import type { SearchIndex, SearchPage, SearchRequest, SearchTerm } from './types.js';

type Row = StoredRow & { search_key: string };
type Db = Kysely<Database> | Transaction<Database>;

/**
 * PostgreSQL's side: a `tsvector` per message in `message_search` (GIN-indexed; a message's row goes
 * with it by a delete trigger, migration 0013), written by the message batch itself (postgres.ops.ts
 * inserts the new rows with the messages, in one statement, and calls `reindex` in its transaction). Each text is indexed twice over: with `simple` (every word as
 * written, stop words included) and with the SEARCH_LANGUAGE configuration (word stems), so "the
 * who" and "running" → "run" both find. Accents are folded and unspaced scripts paired in JavaScript
 * first (search.text.mjs), since PostgreSQL's parser does neither.
 */
export class PostgresSearch implements SearchIndex {
  readonly enabled: boolean;
  readonly language: string;
  #done = false;
  #schema = { filesColumn: false };

  constructor(
    private readonly db: Kysely<Database>,
    options: { enabled: boolean; language: string },
  ) {
    this.enabled = options.enabled;
    this.language = options.language;
  }

  /** Brings the index in line with the configuration (run by one node at a time, at start-up). */
  async prepare(db: Db): Promise<void> {
    const engine = this.enabled ? `pg:${this.language}` : 'off';
    if (this.enabled) {
      const known = await sql`SELECT 1 FROM pg_ts_config WHERE cfgname = ${this.language}`.execute(db);
      if (known.rows.length === 0)
        throw new Error(`SEARCH_LANGUAGE: PostgreSQL has no text search configuration "${this.language}"`);
    }
    const files = await sql`
      SELECT 1 FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'messages' AND column_name = 'files'`.execute(
      db,
    );
    this.#schema = { filesColumn: files.rows.length > 0 };
    const state = await db.selectFrom('search_index').select('engine').where('id', '=', 1).executeTakeFirst();
    if (state?.engine === engine) return;
    await sql`TRUNCATE message_search`.execute(db);
    // Every message stored so far waits for the backfill; new ones are indexed as they are stored.
    const top = await sql<{ top: string | null }>`SELECT max(id) AS top FROM messages`.execute(db);
    const maxId = top.rows[0]?.top ?? null;
    const values = {
      id: 1,
      engine,
      backfill_rowid: 0,
      backfill_id: this.enabled && maxId !== null ? `${maxId}~` : null,
      updated_at: new Date().toISOString(),
    };
    await db
      .insertInto('search_index')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  #vector(text: RawBuilder<unknown>): RawBuilder<unknown> {
    const simple = sql`to_tsvector('simple', ${text})`;
    return this.language === 'simple'
      ? simple
      : sql`${simple} || to_tsvector(${this.language}::regconfig, ${text})`;
  }

  /**
   * New messages of a batch, indexed by the statement that inserts them (postgres.ops.ts), whose rows
   * it names `k`: the text to index where it is not the message's own (accents folded, unspaced
   * scripts paired; null for the common text that needs neither, so it is not sent twice), and the
   * insert that reads them. Undefined when the index is off.
   */
  indexNew(rows: { text: string }[]): { texts: (string | null)[]; insert: RawBuilder<unknown> } | undefined {
    if (!this.enabled) return undefined;
    return {
      texts: rows.map((row) => {
        const text = indexText(row.text);
        return text === row.text ? null : text;
      }),
      insert: sql`
        INSERT INTO message_search (id, room_id, tsv)
        SELECT k.id, k.room_id, ${this.#vector(sql`coalesce(k.index_text, k.text)`)} FROM k WHERE k.text <> ''`,
    };
  }

  /** Messages a batch edited or deleted, after it wrote them, in its transaction. */
  async reindex(trx: Db, keys: [string, number][]): Promise<void> {
    if (!this.enabled || keys.length === 0) return;
    const found = await sql<{ id: string; room_id: string; text: string; deleted: number }>`
      SELECT m.id, m.room_id, m.text, m.deleted FROM messages m
      JOIN unnest(${keys.map((k) => k[0])}::text[], ${keys.map((k) => k[1])}::bigint[]) AS k(room_id, seq)
        ON m.room_id = k.room_id AND m.seq = k.seq`.execute(trx);
    const gone = found.rows.filter((row) => row.deleted || row.text === '').map((row) => row.id);
    const kept = found.rows.filter((row) => !row.deleted && row.text !== '');
    if (gone.length > 0) await sql`DELETE FROM message_search WHERE id = ANY(${gone}::text[])`.execute(trx);
    if (kept.length === 0) return;
    await sql`
      INSERT INTO message_search (id, room_id, tsv)
      SELECT k.id, k.room_id, ${this.#vector(sql`k.t`)}
      FROM unnest(${kept.map((r) => r.id)}::text[], ${kept.map((r) => r.room_id)}::text[],
        ${kept.map((r) => indexText(r.text))}::text[]) AS k(id, room_id, t)
      ON CONFLICT (id) DO UPDATE SET tsv = excluded.tsv`.execute(trx);
  }

  /** A term as a tsquery built by PostgreSQL's own functions from a parameter: never parsed as syntax. */
  #termQuery(term: SearchTerm): RawBuilder<unknown> {
    const text = splitUnspacedQuery(foldAccents(term.text)).trim();
    const prefix = term.prefix || isSingleUnspaced(term.text);
    const simple = sql`phraseto_tsquery('simple', ${text})`;
    if (prefix) return sql`(${simple}::text || ':*')::tsquery`;
    if (this.language === 'simple') return simple;
    // A phrase the language's configuration shortens (a stop word dropped: "the cat" would be just
    // 'cat', finding "a cat" and reading every message with the rarer word) is looked for as written
    // only, as SQLite's phrase would; a phrase it keeps whole may also match by its words' stems.
    const stemmed = sql`phraseto_tsquery(${this.language}::regconfig, ${text})`;
    return sql`(CASE WHEN numnode(${stemmed}) = numnode(${simple}) THEN ${simple} || ${stemmed} ELSE ${simple} END)`;
  }

  #query(terms: SearchTerm[]): RawBuilder<unknown> {
    const parts = terms.map((term) =>
      term.negated ? sql`!!${this.#termQuery(term)}` : this.#termQuery(term),
    );
    return sql`(${sql.join(parts, sql` && `)})`;
  }

  async find(request: SearchRequest): Promise<SearchPage> {
    const filters = messageFilters(request, new Date().toISOString(), this.#schema);
    const { cursor, limit } = request;
    const offset = cursor && 'offset' in cursor ? cursor.offset : 0;
    const positive = request.terms.some((term) => !term.negated);
    const byRank = request.sort === 'relevance' && positive;
    let query: RawBuilder<Row>;
    if (positive) {
      if (cursor && 'after' in cursor) filters.push(sql`s.id < ${String(cursor.after)}`);
      const tsquery = this.#query(request.terms);
      query = sql<Row>`
        SELECT s.id AS search_key, m.*, u.username, u.avatar_id, u.display_name
        FROM message_search s JOIN messages m ON m.id = s.id JOIN users u ON u.id = m.author_id
        WHERE s.tsv @@ ${tsquery} AND ${allOf(filters)}
        ORDER BY ${byRank ? sql`ts_rank_cd(s.tsv, ${tsquery}) DESC, s.id DESC` : sql`s.id DESC`}
        LIMIT ${limit + 1} OFFSET ${offset}`;
    } else {
      if (cursor && 'after' in cursor) filters.push(sql`m.id < ${String(cursor.after)}`);
      query = sql<Row>`
        SELECT m.id AS search_key, m.*, u.username, u.avatar_id, u.display_name
        FROM messages m JOIN users u ON u.id = m.author_id
        WHERE ${allOf(filters)}
        ORDER BY m.id DESC LIMIT ${limit + 1} OFFSET ${offset}`;
    }
    const { rows } = await query.execute(this.db);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const more = rows.length > limit && last !== undefined;
    return {
      rows: page,
      next: more ? (byRank ? { offset: offset + limit } : { after: last.search_key }) : undefined,
    };
  }

  async backfill(size: number): Promise<boolean> {
    if (!this.enabled) return false;
    return this.db.transaction().execute(async (trx) => {
      // One node at a time takes the next batch.
      const state = await sql<{ backfill_id: string | null }>`
        SELECT backfill_id FROM search_index WHERE id = 1 FOR UPDATE`.execute(trx);
      const below = state.rows[0]?.backfill_id;
      if (!below) return false;
      // FOR SHARE: an edit or delete of one of these waits for this batch, then rewrites its row.
      const rows = await sql<{ id: string; room_id: string; text: string; deleted: number }>`
        SELECT id, room_id, text, deleted FROM messages WHERE id < ${below}
        ORDER BY id DESC LIMIT ${size} FOR SHARE`.execute(trx);
      const kept = rows.rows.filter((row) => !row.deleted && row.text !== '');
      if (kept.length > 0) {
        await sql`
          INSERT INTO message_search (id, room_id, tsv)
          SELECT k.id, k.room_id, ${this.#vector(sql`k.t`)}
          FROM unnest(${kept.map((r) => r.id)}::text[], ${kept.map((r) => r.room_id)}::text[],
            ${kept.map((r) => indexText(r.text))}::text[]) AS k(id, room_id, t)
          ON CONFLICT (id) DO NOTHING`.execute(trx);
      }
      const next = rows.rows.length < size ? null : (rows.rows.at(-1)?.id ?? null);
      await trx.updateTable('search_index').set({ backfill_id: next }).where('id', '=', 1).execute();
      return next !== null;
    });
  }

  async indexing(): Promise<boolean> {
    if (this.#done || !this.enabled) return false;
    const state = await this.db
      .selectFrom('search_index')
      .select('backfill_id')
      .where('id', '=', 1)
      .executeTakeFirst();
    this.#done = !state?.backfill_id;
    return !this.#done;
  }
}

const indexText = (text: string) => foldAccents(splitUnspaced(text));
