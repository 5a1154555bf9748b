import type { Readable } from 'node:stream';

/** A byte range, both ends included (as HTTP ranges are). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The blob seam: where the bytes of files live. Two implementations, chosen by configuration: a
 * directory under DATA_DIR (one node) and S3-compatible object storage (several nodes). Blobs are
 * written once, whole, from a finished local file, and never changed; keys are server-made ids.
 */
export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /** Stores the local file `from` (which is consumed: moved or uploaded, then removed) under `key`. */
  put(key: string, from: string, size: number, type: string): Promise<void>;
  /** The blob's bytes, whole or a range; null when there is no such blob. */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes the blobs; keys that do not exist are not an error. */
  delete(keys: string[]): Promise<void>;
  /** Throws when the storage cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
