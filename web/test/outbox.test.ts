import { describe, expect, it } from 'vitest';
import {
  connected,
  expectMessage,
  messageCount,
  openRoomId,
  registerInUi,
  send,
  tokenOf,
  uniqueName,
} from './support/app';
import { openPerson } from './support/browser';
import { startServer } from './support/server';
import { serverAndBrowser } from './support/fixture';

describe('sending while the server is unreachable', () => {
  const env = serverAndBrowser();

  it('delivers a message sent while the server is down exactly once after it returns', async () => {
    const writer = await openPerson(env.browser, env.server.url);
    const reader = await openPerson(env.browser, env.server.url);
    await registerInUi(writer.page, uniqueName('writer'));
    await registerInUi(reader.page, uniqueName('reader'));
    for (const page of [writer.page, reader.page]) await page.getByRole('link', { name: 'General' }).click();
    await send(writer.page, 'before the outage');
    await expectMessage(reader.page, 'before the outage');

    const { port, dataDir } = env.server;
    await env.server.close();
    await writer.page
      .locator('[data-connection="reconnecting"], [data-connection="offline"]')
      .first()
      .waitFor();

    await send(writer.page, 'sent during the outage');
    const pending = writer.page.locator('li.message.pending', { hasText: 'sent during the outage' });
    await pending.getByText('Sending…').waitFor();
    await writer.page.getByText('1 waiting to send').waitFor();

    env.server = await startServer({ port, dataDir });
    await connected(writer.page);
    await connected(reader.page);
    await expectMessage(reader.page, 'sent during the outage');
    await expectMessage(writer.page, 'sent during the outage');
    await pending.waitFor({ state: 'detached' });

    // The resend and the sync after reconnecting both carry it: it must still show once, and the
    // server must hold it once.
    await send(writer.page, 'after the outage');
    await expectMessage(reader.page, 'after the outage');
    for (const page of [writer.page, reader.page]) {
      expect(await messageCount(page, 'sent during the outage')).toBe(1);
    }
    const token = await writer.page.evaluate(() => JSON.parse(localStorage.getItem('parley.session')!).token);
    const roomId = await openRoomId(writer.page);
    const reply = await fetch(`${env.server.url}/api/chat/rooms/${roomId}/messages?limit=50`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { messages } = (await reply.json()) as { messages: { text: string; seq: number }[] };
    expect(messages.filter((m) => m.text === 'sent during the outage')).toHaveLength(1);
    const seqs = messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(
      await writer.page.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith('parley.outbox')),
      ),
    ).toEqual([]);
    // Closed so their reconnect attempts do not crowd the next test's outage.
    await writer.context.close();
    await reader.context.close();
  });

  it('keeps an unsent message across a reload and sends it when the server is back', async () => {
    const writer = await openPerson(env.browser, env.server.url);
    await registerInUi(writer.page, uniqueName('patient'));
    await writer.page.getByRole('link', { name: 'General' }).click();
    await connected(writer.page);

    const { port, dataDir } = env.server;
    await env.server.close();
    await writer.page
      .locator('[data-connection="reconnecting"], [data-connection="offline"]')
      .first()
      .waitFor();
    await send(writer.page, 'written offline, reloaded');
    await writer.page.locator('li.message.pending', { hasText: 'written offline, reloaded' }).waitFor();

    env.server = await startServer({ port, dataDir });
    await writer.page.reload();
    await connected(writer.page);
    await expectMessage(writer.page, 'written offline, reloaded');
    expect(await messageCount(writer.page, 'written offline, reloaded')).toBe(1);
    await writer.context.close();
  });
  it('keeps each tab’s unsent messages when two tabs of one person write offline and one closes', async () => {
    const first = await openPerson(env.browser, env.server.url);
    await registerInUi(first.page, uniqueName('twotabs'));
    await first.page.getByRole('link', { name: 'General' }).click();
    await connected(first.page);
    // A second tab of the same browser: the same session and the same localStorage.
    const second = await first.context.newPage();
    await second.goto(first.page.url());
    await connected(second);

    const { port, dataDir } = env.server;
    await env.server.close();
    for (const page of [first.page, second])
      await page.locator('[data-connection="reconnecting"], [data-connection="offline"]').first().waitFor();
    await send(first.page, 'from the tab that closes');
    await first.page.locator('li.message.pending', { hasText: 'from the tab that closes' }).waitFor();
    await send(second, 'from the tab that stays');
    await second.locator('li.message.pending', { hasText: 'from the tab that stays' }).waitFor();
    const stored = await second.evaluate(() =>
      Object.entries(localStorage)
        .filter(([key]) => key.startsWith('parley.outbox'))
        .flatMap(([, value]) => (JSON.parse(value) as { text: string }[]).map((entry) => entry.text))
        .sort(),
    );
    expect(stored).toEqual(['from the tab that closes', 'from the tab that stays']);
    await first.page.close();

    env.server = await startServer({ port, dataDir });
    await connected(second);
    await expectMessage(second, 'from the tab that stays');
    await expectMessage(second, 'from the tab that closes');
    const token = await tokenOf(second);
    const roomId = await openRoomId(second);
    const reply = await fetch(`${env.server.url}/api/chat/rooms/${roomId}/messages?limit=50`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { messages } = (await reply.json()) as { messages: { text: string }[] };
    for (const text of ['from the tab that closes', 'from the tab that stays'])
      expect(messages.filter((m) => m.text === text)).toHaveLength(1);
    await second.locator('li.message.pending').first().waitFor({ state: 'detached' });
    expect(
      await second.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parley.outbox'))),
    ).toEqual([]);
    await first.context.close();
  });
});
