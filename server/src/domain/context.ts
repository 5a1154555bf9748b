import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '../bus/types.js';
import type { Config } from '../config.js';
import type { BlobStore } from '../store/blobs/index.js';
import type { Store } from '../store/types.js';
import type { DomainEventBus } from './events.js';
import type { MessageWriter } from './messages/writer.js';
import type { TokenKeys } from './accounts/tokens.js';
import type { LiveSettings } from './admin/settings.js';
import type { SeenSessions } from './accounts/seen.js';

/** Everything a domain function may touch. Built once by `buildApp`. */
export interface Ctx {
  config: Config;
  store: Store;
  bus: Bus;
  events: DomainEventBus;
  /** Every change to messages goes through it (group commit, then `room.changed`). */
  writer: MessageWriter;
  tokens: TokenKeys;
  /** Where the bytes of files live (DATA_DIR/files or S3-compatible storage). */
  blobs: BlobStore;
  log: FastifyBaseLogger;
  /** Settings admins change live (registration, retention, rate limits …), the same on every node. */
  settings: LiveSettings;
  /** Sessions' `last_seen_at`, written in batches. */
  seen: SeenSessions;
}
