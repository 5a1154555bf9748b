// Types of ops.mjs (the message writer's contract).
import type { MessageFile } from '@parley/protocol';
import type { MessageRow } from './schema.js';

export interface SendOp {
  kind: 'send';
  id: string;
  roomId: string;
  authorId: string;
  text: string;
  clientId: string | null;
  createdAt: string;
  /** The thread's root, for a reply. */
  threadSeq: number | null;
  alsoToRoom: boolean;
  /** Ids of the members mentioned, then "@room" or "@here" for a mention of the room (attention/mentions.ts). */
  mentions: string[];
  /**
   * The files to attach, as the message will present them (read by the domain from their rows). The
   * writer attaches them only if each is still the author's, uploaded to this room and unattached.
   */
  files: MessageFile[];
}
export interface EditOp {
  kind: 'edit';
  roomId: string;
  seq: number;
  actorId: string;
  text: string;
  at: string;
  mentions: string[];
}
/** `asAuthor`: refused unless the actor wrote it (otherwise the domain has checked the actor's authority). */
export interface DeleteOp {
  kind: 'delete';
  roomId: string;
  seq: number;
  actorId: string;
  asAuthor: boolean;
  at: string;
}
export interface ReactOp {
  kind: 'react';
  roomId: string;
  seq: number;
  actorId: string;
  emoji: string;
  on: boolean;
}
export interface PinOp {
  kind: 'pin';
  roomId: string;
  seq: number;
  actorId: string;
  on: boolean;
  at: string;
}
/** Deletes the room's messages up to `uptoSeq` (all of them when null). */
export interface ClearOp {
  kind: 'clear';
  roomId: string;
  uptoSeq: number | null;
}
export type MessageOp = SendOp | EditOp | DeleteOp | ReactOp | PinOp | ClearOp;

/** What a refused operation answers: a code of the error catalog. */
export type Refusal =
  | 'not_a_member'
  | 'message_not_found'
  | 'message_deleted'
  | 'forbidden'
  | 'invalid_thread'
  | 'too_many_reactions'
  | 'file_not_found'
  | 'file_attached';

/** A message read back with its author's username and avatar. */
export type StoredRow = MessageRow & {
  username: string;
  avatar_id?: string | null;
  display_name?: string | null;
};

export interface BatchAnswers {
  numbers: number[];
  special: Record<number, Refusal | MessageRow>;
  rooms: (string | number)[];
  events: (string | number)[];
  rows: StoredRow[];
  /** Ids of the files whose rows the batch deleted: their blobs go after the commit. */
  files: string[];
}

export const opFields: { [K in MessageOp['kind']]: string[] };
export function encodeOps(ops: MessageOp[]): (string | number | boolean | null)[];
export function decodeOps(flat: unknown[]): Record<string, unknown>[];
export function batchAnswers(): BatchAnswers;
export function toggleReaction(
  json: string,
  emoji: string,
  userId: string,
  on: boolean,
  maxDistinct: number,
): string | null | 'full';
export function withReplier(json: string, userId: string): string;
/** Keeps only the last "u" event of each message, and none for a message no longer in `rows`. */
export function lastChangeOnly(events: (string | number)[], rows: StoredRow[]): (string | number)[];
export function newMessageRow(op: SendOp, seq: number, rev: number): MessageRow;
/** PostgreSQL answers bigint columns as strings; rows read from either dialect go through this. */
export function numericRow<R extends MessageRow>(row: R): R;
