import { type Kysely, sql } from 'kysely';

/**
 * Files and avatars. A file row is written once its bytes are stored, and deleted in the same
 * transaction as what removes it (a message deleted, a history cleared); its blobs go after the commit.
 * `message_seq` is null until a message attaches it. A message keeps the files it presents as JSON
 * (`messages.files`, written when it is stored) so reading history costs no join. `room_id` has no
 * foreign key on purpose: a room deleted without its files leaves rows the sweep finds and removes
 * with their blobs, where a cascade would leave the blobs behind unseen.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text')
    .addColumn('uploader_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    /** The thumbnail's size in bytes; null when the file has none. */
    .addColumn('thumb_size', 'bigint')
    .addColumn('message_seq', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_message').on('files').columns(['room_id', 'message_seq']).execute();
  await db.schema.createIndex('files_uploader').on('files').columns(['uploader_id', 'kind']).execute();
  await db.schema
    .createIndex('files_pending')
    .on('files')
    .column('created_at')
    .where(sql.ref('message_seq'), 'is', null)
    .execute();
  await db.schema
    .alterTable('messages')
    .addColumn('files', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('users').addColumn('avatar_id', 'text').execute();
}
