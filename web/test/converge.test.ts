import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  connected,
  createRoomInUi,
  expectMessage,
  joinRoomInUi,
  openRoomId,
  registerInUi,
  send,
  tokenOf,
  uniqueName,
} from './support/app';
import { openPerson } from './support/browser';
import { serverAndBrowser } from './support/fixture';

/** What a reader sees of each message, by seq: its words, reactions, pin, thread. */
function shown(page: Page) {
  return page
    .getByRole('log', { name: 'Messages' })
    .evaluate((log) =>
      Object.fromEntries(
        [...log.querySelectorAll<HTMLElement>('li.message[data-seq]')].map((li) => [
          li.dataset.seq,
          [...li.querySelectorAll('.message-text, .edited, .pinned-mark, .reaction, .thread-summary')]
            .map((el) => el.textContent?.trim())
            .join(' | '),
        ]),
      ),
    );
}

describe('a window that was away', () => {
  const env = serverAndBrowser();

  it('converges on every edit, delete, reaction, pin and reply made while it was away', async () => {
    const ana = await openPerson(env.browser, env.server.url);
    await registerInUi(ana.page, uniqueName('ana'));
    const room = uniqueName('away');
    await createRoomInUi(ana.page, room);
    const roomId = await openRoomId(ana.page);

    // Bo's socket goes through a switch this test can open: his window alone loses the server.
    const context = await env.browser.newContext({ serviceWorkers: 'block' });
    context.setDefaultTimeout(20_000);
    let away = false;
    const sockets: WebSocketRoute[] = [];
    await context.route(/\/socket\.io\//, (route) => (away ? route.abort() : route.continue()));
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (away) return void ws.close();
      ws.connectToServer();
      sockets.push(ws);
    });
    const bo = await context.newPage();
    await bo.goto(env.server.url);
    await registerInUi(bo, uniqueName('bo'));
    await joinRoomInUi(bo, room);

    for (const text of ['to be edited', 'to be deleted', 'to be reacted to', 'to stay as it is']) {
      await send(ana.page, text);
    }
    await expectMessage(bo, 'to stay as it is');
    const seqOf = async (text: string) =>
      Number(await bo.locator('li.message[data-seq]', { hasText: text }).getAttribute('data-seq'));
    const [edited, deleted, reacted] = (await Promise.all(
      ['to be edited', 'to be deleted', 'to be reacted to'].map(seqOf),
    )) as [number, number, number];

    away = true;
    for (const ws of sockets) await ws.close();
    await bo.locator('[data-connection="reconnecting"], [data-connection="offline"]').first().waitFor();

    const token = await tokenOf(ana.page);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${env.server.url}/api/chat/rooms/${roomId}/messages${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
    };
    await call('PATCH', `/${edited}`, { text: 'edited while you were away' });
    await call('DELETE', `/${deleted}`);
    await call('PUT', `/${reacted}/reactions/${encodeURIComponent('🎉')}`);
    await call('PUT', `/${reacted}/pin`);
    await call('POST', '', { text: 'a reply in its thread', threadSeq: reacted });
    await call('POST', '', { text: 'new while you were away' });

    away = false;
    await connected(bo);
    await expectMessage(bo, 'new while you were away');
    const row = (seq: number) => bo.locator(`li.message[data-seq="${seq}"]`);
    await row(edited).getByText('(edited)').waitFor();
    await row(deleted).getByText('This message was deleted').waitFor();
    await row(reacted).locator('.reaction', { hasText: '🎉' }).waitFor();
    await row(reacted).getByText('Pinned').waitFor();
    await row(reacted)
      .getByRole('link', { name: /1 reply/ })
      .waitFor();
    expect(await bo.getByText('a reply in its thread').count()).toBe(0);
    expect(await bo.getByText('new while you were away').count()).toBe(1);

    // Exactly what a fresh load of the room shows.
    const resumed = await shown(bo);
    await bo.reload();
    await connected(bo);
    await expectMessage(bo, 'new while you were away');
    await row(reacted)
      .getByRole('link', { name: /1 reply/ })
      .waitFor();
    expect(await shown(bo)).toEqual(resumed);
    await context.close();
  });
});
