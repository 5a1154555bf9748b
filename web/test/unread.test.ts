import { describe, expect, it } from 'vitest';
import { expectMessage, joinRoomInUi, password, registerInUi, uniqueName } from './support/app';
import { openPerson } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('coming back to many unread messages', () => {
  const env = serverAndBrowser();

  it('opens the room at the first unread message, offers to jump back to it and to mark all read', async () => {
    const post = async (path: string, token: string | null, body: unknown) => {
      const response = await fetch(env.server.url + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      expect(response.ok).toBe(true);
      return response.json() as Promise<{ token: string; room: { id: string } }>;
    };
    const author = await post('/api/register', null, { username: uniqueName('talker'), password });
    const name = uniqueName('busy');
    const { room } = await post('/api/chat/rooms', author.token, { name });
    const say = (text: string) => post(`/api/chat/rooms/${room.id}/messages`, author.token, { text });
    await say('read before');

    const reader = await openPerson(env.browser, env.server.url);
    await registerInUi(reader.page, uniqueName('reader'));
    await joinRoomInUi(reader.page, name);
    await expectMessage(reader.page, 'read before');
    await reader.page.getByRole('link', { name: 'General' }).click();

    for (let i = 1; i <= 120; i++) await say(`unread ${i}`);
    // A fresh start: the room's history is not held, only its read position on the server.
    await reader.page.reload();
    await reader.page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
    const log = reader.page.getByRole('log', { name: 'Messages' });
    await log.locator('li.unread-marker + li.message', { hasText: 'unread 1' }).waitFor();
    // The latest are not loaded yet: the room opened where reading stopped, not at the bottom.
    expect(await log.getByText('unread 120', { exact: true }).count()).toBe(0);

    await log.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const bar = reader.page.getByRole('button', { name: /Jump to first unread/ });
    await bar.click();
    await expect
      .poll(() =>
        log.locator('.unread-marker').evaluate((marker) => {
          const box = marker.getBoundingClientRect();
          const list = marker.closest('[role="log"]')!.getBoundingClientRect();
          return box.top >= list.top && box.bottom <= list.bottom;
        }),
      )
      .toBe(true);
    await log.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await reader.page.getByRole('button', { name: 'Mark all read' }).click();
    await log.locator('.unread-marker').waitFor({ state: 'detached' });
    await bar.waitFor({ state: 'detached' });
  });
});
