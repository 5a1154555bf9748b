import { pathToFileURL } from 'node:url';
import { parleyServerDir } from './targets.js';
import type { World } from './world.js';

/** The slice of the server's store the fill uses; imported at run time so bench/ typechecks alone. */
interface AppendStore {
  appendMessages(
    batch: {
      id: string;
      roomId: string;
      authorId: string;
      text: string;
      clientId: string | null;
      createdAt: string;
    }[],
  ): Promise<{ kind: string }[]>;
  close(): Promise<void>;
}

const sqliteStore = `${parleyServerDir}/src/store/sqlite.ts`;
const batchSize = 5000;

/**
 * Fills room 0 of the world with `count` messages by user 0, with the server stopped, through the
 * server's own store (`appendMessages`, the group-commit path without the socket in front): the same
 * rows, seqs and indexes a live server would write, at a fraction of the time of sending them.
 */
export async function fillParleyHistory(
  dataDir: string,
  world: World,
  count: number,
): Promise<{ how: string; ms: number; roomId: string; token: string }> {
  const { openSqliteStore } = (await import(pathToFileURL(sqliteStore).href)) as {
    openSqliteStore(dataDir: string): Promise<AppendStore>;
  };
  const roomId = world.rooms[0]!;
  const author = world.users[0]!;
  const started = Date.now();
  const store = await openSqliteStore(dataDir);
  try {
    const createdAt = new Date().toISOString();
    for (let from = 0; from < count; from += batchSize) {
      const batch = [];
      for (let i = from; i < Math.min(count, from + batchSize); i++) {
        batch.push({
          id: `hist${i}`,
          roomId,
          authorId: author.id,
          text: `history message ${i}: the quick brown fox jumps over the lazy dog`,
          clientId: null,
          createdAt,
        });
      }
      const results = await store.appendMessages(batch);
      if (results[0]?.kind !== 'stored') throw new Error(`history fill: ${results[0]?.kind}`);
    }
  } finally {
    await store.close();
  }
  return {
    how: `server store appendMessages (server/src/store/sqlite.ts), batches of ${batchSize}, server stopped`,
    ms: Date.now() - started,
    roomId,
    token: author.token,
  };
}
