import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composer, expectMessage, messages, registerInUi, send, uniqueName } from './support/app';
import { serverAndBrowser } from './support/fixture';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
// Another origin than the server's (another port is another origin); the browser never reaches
// a real host there: the test answers those requests from web/dist, as a static host would.
const staticOrigin = 'http://localhost:9';
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

describe('hosting the client on another origin', () => {
  const env = serverAndBrowser({ env: { CORS_ORIGINS: staticOrigin } });

  it('talks to the server named in config.js when served from a static host elsewhere, at a path', async () => {
    const context = await env.browser.newContext();
    // Both origins are on this machine; a real deployment's static host and server are public
    // and never meet Chromium's local-network permission, which the test grants up front.
    await context.grantPermissions(['local-network-access'], { origin: staticOrigin });
    // A static host that knows only files, under a path of its own: no fallback for client routes.
    await context.route(`${staticOrigin}/**`, async (route) => {
      const { pathname } = new URL(route.request().url());
      if (!pathname.startsWith('/chat/')) return route.fulfill({ status: 404 });
      const path = pathname.slice('/chat'.length);
      if (path === '/config.js') {
        return route.fulfill({
          contentType: 'text/javascript',
          body: `window.PARLEY_CONFIG = { serverUrl: ${JSON.stringify(env.server.url)} };`,
        });
      }
      const file = path === '/' ? 'index.html' : path.slice(1);
      return route.fulfill({
        contentType: types[extname(file)] ?? 'application/octet-stream',
        body: await readFile(join(dist, file)),
      });
    });
    const page = await context.newPage();
    await page.goto(`${staticOrigin}/chat/`);
    expect(new URL(page.url()).origin).not.toBe(new URL(env.server.url).origin);

    await registerInUi(page, uniqueName('remote'));
    await page.getByRole('link', { name: 'General' }).click();
    await send(page, 'Hello from a static host');
    await expectMessage(page, 'Hello from a static host');

    // Files cross the origins too: an upload with its progress, and a preview loaded from the server.
    await composer(page).evaluate(async (textarea) => {
      const canvas = new OffscreenCanvas(60, 40);
      const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
      context.fillRect(0, 0, 60, 40);
      const data = new DataTransfer();
      data.items.add(
        new File([await canvas.convertToBlob({ type: 'image/png' })], 'remote.png', { type: 'image/png' }),
      );
      textarea.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    await page.locator('li.attachment.ready').waitFor();
    await send(page, 'A picture from afar');
    const preview = messages(page)
      .filter({ hasText: 'A picture from afar' })
      .getByRole('button', { name: 'Open image remote.png' })
      .locator('img');
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(60);

    // The room's address, opened afresh, is a page the static host can serve.
    const address = page.url();
    expect(address).toMatch(new RegExp(`^${staticOrigin}/chat/#/rooms/`));
    const again = await context.newPage();
    await again.goto(address);
    await again.getByRole('heading', { name: 'General' }).waitFor();
    await expectMessage(again, 'Hello from a static host');
    await context.close();
  });
});
