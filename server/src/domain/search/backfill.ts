import { setTimeout as sleep } from 'node:timers/promises';
import type { Ctx } from '../context.js';

export interface Backfill {
  /** Resolves once the backfill has stopped (after the batch in progress). */
  stop(): Promise<void>;
}

/**
 * Indexes the messages stored before the index was built (after an upgrade, or a change of
 * SEARCH_LANGUAGE), newest first, one short transaction per batch with a pause between, so the
 * server keeps answering and sends keep committing while it runs. Until it finishes a search finds
 * every message stored since and the part of the older history done so far, and says `indexing`.
 */
export function startBackfill(ctx: Ctx, options: { batch?: number; pauseMs?: number } = {}): Backfill {
  const batch = options.batch ?? 500;
  const pauseMs = options.pauseMs ?? 10;
  let stopped = false;
  const run = (async () => {
    let batches = 0;
    while (!stopped) {
      try {
        if (!(await ctx.store.search.backfill(batch))) break;
        batches += 1;
        if (batches % 200 === 0) ctx.log.info({ batches }, 'search: indexing older messages');
        await sleep(pauseMs);
      } catch (error) {
        if (stopped) break;
        // The database away for a moment: try again later rather than never.
        ctx.log.warn({ err: error }, 'search: indexing older messages failed; retrying');
        await sleep(5_000);
      }
    }
    if (batches > 0 && !stopped) ctx.log.info({ batches }, 'search: older messages indexed');
  })();
  return {
    async stop() {
      stopped = true;
      await run;
    },
  };
}
