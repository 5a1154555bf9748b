import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { type RunningServer, startServer } from './server';

export interface ServerAndBrowser {
  /** Reassign to a restarted server (same port and data dir) and it is the one closed at the end. */
  server: RunningServer;
  browser: Browser;
}

/**
 * A Parley server and a Chromium for the tests of one describe block: started before its tests (and
 * before the block's own beforeAll hooks), closed after them.
 */
export function serverAndBrowser(options?: Parameters<typeof startServer>[0]): ServerAndBrowser {
  const env = {} as ServerAndBrowser;
  beforeAll(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
