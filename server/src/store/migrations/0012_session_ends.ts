import type { Kysely } from 'kysely';

/**
 * Each node's session sweep asks, every pass, which sessions were revoked or expired lately, and checks
 * every open session in full only every so many passes: indexed, that question reads a few rows instead
 * of probing one per open socket.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('sessions_revoked_at').on('sessions').column('revoked_at').execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
}
