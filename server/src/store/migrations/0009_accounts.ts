import type { Kysely } from 'kysely';

/**
 * Accounts and identity (issue 14): a profile on the user (display name, status, time zone, an email
 * address for password resets, verified before it is used), where and when each session signs in, and
 * one-time account tokens (password reset links, email verification). A token is kept only as its
 * SHA-256: the database never holds a working link. Failed sign-ins are counted per username and
 * address, for a delay that grows with each failure and ends with a success (domain/accounts/login-limits).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    'display_name',
    'status_text',
    'status_expires_at',
    'time_zone',
    'email',
    'email_verified_at',
  ]) {
    await db.schema.alterTable('users').addColumn(column, 'text').execute();
  }
  for (const column of ['user_agent', 'ip', 'last_seen_at']) {
    await db.schema.alterTable('sessions').addColumn(column, 'text').execute();
  }
  await db.schema
    .createTable('account_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** For an email verification: the address it verifies. */
    .addColumn('email', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('account_tokens_user')
    .on('account_tokens')
    .columns(['user_id', 'kind'])
    .execute();
  await db.schema
    .createTable('login_failures')
    .addColumn('username_key', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_failures_pk', ['username_key', 'ip'])
    .execute();
  await db.schema.createIndex('sessions_ip').on('sessions').columns(['user_id', 'ip']).execute();
}
