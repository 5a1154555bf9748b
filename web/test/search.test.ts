import { beforeAll, describe, expect, it } from 'vitest';
import { connected, messages, openRoomId, registerInUi, send, tokenOf, uniqueName } from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('message search in the web client', () => {
  const env = serverAndBrowser();
  let me: Person;
  const needle = `needle${Date.now().toString(36)}`;

  beforeAll(async () => {
    me = await openPerson(env.browser, env.server.url);
    await registerInUi(me.page, uniqueName('seeker'));
  });

  it('finds a message from the box (Ctrl+K), and a click opens its room at it, marked, far back in history', async () => {
    await me.page.getByRole('link', { name: 'General' }).click();
    await send(me.page, `the ${needle} was in the haystack all along`);
    await messages(me.page).filter({ hasText: needle }).waitFor();
    const roomId = await openRoomId(me.page);
    // Enough messages after it that the room opens on a page that does not hold it.
    const token = await tokenOf(me.page);
    for (let i = 0; i < 70; i++) {
      const reply = await fetch(`${env.server.url}/api/chat/rooms/${roomId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `hay ${i}` }),
      });
      expect(reply.status).toBe(201);
    }
    await messages(me.page).filter({ hasText: 'hay 69' }).waitFor();

    // A fresh tab opens General at its latest page, which does not hold the message.
    const page = await me.context.newPage();
    await page.goto(env.server.url);
    await connected(page);
    await page.keyboard.press('Control+k');
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill(needle);
    await box.press('Enter');

    const group = page.getByRole('region', { name: 'Results in General' });
    const mark = group.locator('mark', { hasText: needle });
    await mark.waitFor();
    expect(await page.locator('.search-status').textContent()).toContain('1 message found');

    await group.getByRole('link').filter({ hasText: needle }).click();
    const marked = messages(page).and(page.locator('.highlighted'));
    await marked.waitFor();
    expect(await marked.textContent()).toContain(`the ${needle} was in the haystack`);
    expect(new URL(page.url()).hash).toMatch(new RegExp(`^#/rooms/${roomId}/messages/\\d+$`));
    await expect.poll(() => marked.isVisible()).toBe(true);
    expect(await messages(page).filter({ hasText: 'hay 69' }).count()).toBe(0);

    // Back returns to the results; the newer messages are a click away.
    await page.goBack();
    await mark.waitFor();
    await page.goForward();
    await marked.waitFor();
    await page.getByRole('button', { name: /Jump to latest/ }).click();
    await messages(page).filter({ hasText: 'hay 69' }).waitFor();
    await page.close();
  });

  it('narrows by the filters and says when nothing matches', async () => {
    const fresh = await me.context.newPage();
    await fresh.goto(`${env.server.url}/#/search/${encodeURIComponent(`q=${needle}&before=2000-01-01`)}`);
    await connected(fresh);
    await fresh.getByRole('status').filter({ hasText: 'No messages match.' }).waitFor();
    await fresh.getByLabel('Before').fill('');
    await fresh.getByRole('button', { name: 'Search', exact: true }).click();
    await fresh.locator('mark', { hasText: needle }).waitFor();
    await fresh.close();
  });

  it('shows the author by their display name, with the username beside it', async () => {
    const token = await tokenOf(me.page);
    const renamed = await fetch(`${env.server.url}/api/me`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Seeker Sørensen' }),
    });
    expect(renamed.status).toBe(200);
    const page = await me.context.newPage();
    await page.goto(`${env.server.url}/#/search/${encodeURIComponent(`q=${needle}`)}`);
    await connected(page);
    const result = page.getByRole('region', { name: 'Results in General' }).getByRole('link');
    await result.locator('mark', { hasText: needle }).waitFor();
    expect(await result.locator('.search-meta strong').textContent()).toBe('Seeker Sørensen');
    expect(await result.locator('.search-meta .author-username').textContent()).toMatch(/^@seeker/);

    // A DM is offered in the room filter by the other person's display name, as the sidebar shows it.
    const myself = (await (
      await fetch(`${env.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { user: { id: string } };
    const peerName = uniqueName('peer');
    const peer = (await (
      await fetch(`${env.server.url}/api/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: peerName, password: 'tall-harbor-lantern-42' }),
      })
    ).json()) as { token: string };
    const asPeer = { authorization: `Bearer ${peer.token}`, 'content-type': 'application/json' };
    await fetch(`${env.server.url}/api/me`, {
      method: 'PATCH',
      headers: asPeer,
      body: JSON.stringify({ displayName: 'Pia Peer' }),
    });
    const dm = await fetch(`${env.server.url}/api/dms`, {
      method: 'POST',
      headers: asPeer,
      body: JSON.stringify({ userId: myself.user.id }),
    });
    expect(dm.status).toBeLessThan(300);
    await page.reload();
    await connected(page);
    await expect
      .poll(() => page.getByLabel('Room').locator('option', { hasText: 'Pia Peer' }).count())
      .toBe(1);
    await page.close();
  });
});
