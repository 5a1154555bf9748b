import { pathToFileURL } from 'node:url';
import { parleyServerDir } from './targets.js';
import type { World } from './world.js';

/** The slice of the server's store the fill uses; imported at run time so bench/ typechecks alone. */
interface AppendStore {
  applyOps(
    batch: {
      kind: 'send';
      id: string;
      roomId: string;
      authorId: string;
      text: string;
      clientId: string | null;
      createdAt: string;
      threadSeq: null;
      alsoToRoom: false;
      mentions: string[];
      files: string[];
    }[],
  ): Promise<{ numbers: number[] }>;
  close(): Promise<void>;
}

const sqliteStore = `${parleyServerDir}/src/store/sqlite.ts`;
const batchSize = 5000;

/**
 * Fills room 0 of the world with `count` messages by user 0, with the server stopped, through the
 * server's own store (`applyOps`, the group-commit path without the socket in front): the same
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
          kind: 'send' as const,
          id: `hist${i}`,
          roomId,
          authorId: author.id,
          text: `history message ${i}: the quick brown fox jumps over the lazy dog`,
          clientId: null,
          createdAt,
          threadSeq: null,
          alsoToRoom: false as const,
          mentions: [],
          files: [],
        });
      }
      const answers = await store.applyOps(batch);
      if (!answers.numbers[0]) throw new Error('history fill: the first message was not stored');
    }
  } finally {
    await store.close();
  }
  return {
    how: `server store applyOps (server/src/store/sqlite.ts), batches of ${batchSize}, server stopped`,
    ms: Date.now() - started,
    roomId,
    token: author.token,
  };
}
