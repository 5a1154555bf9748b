import type { World } from './world.js';

/** Fills a Parley room with `count` messages, with the server stopped. */
export async function fillParleyHistory(
  _dataDir: string,
  _world: World,
  _count: number,
): Promise<{ how: string; ms: number; roomId: string; token: string }> {
  throw new Error('no store API to fill history yet');
}
