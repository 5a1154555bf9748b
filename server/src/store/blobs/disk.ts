import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore, ByteRange } from './types.js';

/**
 * Blobs as files under one directory (DATA_DIR/files), fanned out by the last two characters of the
 * key so no directory grows past a few thousand entries. A put is a rename from the upload directory
 * on the same disk: no copy, and a reader never sees half a file.
 */
export function diskBlobs(root: string): BlobStore {
  fs.mkdirSync(root, { recursive: true });
  const pathOf = (key: string) => {
    if (!/^[0-9a-z][0-9a-z.]*$/.test(key)) throw new Error(`not a blob key: ${key}`);
    return path.join(root, key.slice(-2), key);
  };
  return {
    kind: 'disk',
    async put(key, from) {
      const to = pathOf(key);
      await fs.promises.mkdir(path.dirname(to), { recursive: true });
      try {
        await fs.promises.rename(from, to);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await fs.promises.copyFile(from, to);
        await fs.promises.rm(from, { force: true });
      }
    },
    async get(key, range?: ByteRange): Promise<Readable | null> {
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(pathOf(key), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => fs.promises.rm(pathOf(key), { force: true })));
    },
    async ping() {
      await fs.promises.access(root, fs.constants.W_OK);
    },
    async close() {},
  };
}
