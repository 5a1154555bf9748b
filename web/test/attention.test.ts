import type { Room } from '@parley/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  composer,
  createRoomInUi,
  expectMessage,
  joinRoomInUi,
  registerInUi,
  send,
  tokenOf,
  uniqueName,
} from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('attention: mentions, receipts, the installable app', () => {
  const env = serverAndBrowser();
  let ana: Person;
  let bo: Person;
  const anaName = uniqueName('ana');
  const boName = uniqueName('bo');
  const room = uniqueName('crew');

  beforeAll(async () => {
    ana = await openPerson(env.browser, env.server.url);
    bo = await openPerson(env.browser, env.server.url);
    await registerInUi(ana.page, anaName);
    await registerInUi(bo.page, boName);
    await createRoomInUi(ana.page, room);
    await joinRoomInUi(bo.page, room);
  });

  it('suggests people as you type @, picked from the keyboard, and marks the mention for its reader', async () => {
    await bo.page.getByRole('link', { name: 'General' }).click();
    // Ana's list of members knows Bo once he joined.
    await ana.page.getByRole('link', { name: new RegExp(`^${room}`) }).click();
    const box = composer(ana.page);
    await box.fill('');
    await box.pressSequentially(`lunch? @${boName.slice(0, 3)}`);
    const list = ana.page.getByRole('listbox', { name: 'People to mention' });
    await list.getByRole('option', { name: boName }).waitFor();
    // Enter takes the highlighted one, the first.
    expect(await list.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    await expect.poll(() => box.inputValue()).toBe(`lunch? @${boName} `);
    expect(await list.count()).toBe(0);
    await box.press('Enter');
    await expectMessage(ana.page, `lunch? @${boName}`);

    // Bo is elsewhere: the room shows a mention badge beside its unread count.
    const link = bo.page.getByRole('link', { name: new RegExp(`^${room}`) });
    await link.getByText('1 mention').waitFor();
    await link.getByText('1 unread').waitFor();
    await link.click();
    const row = bo.page.locator('li.message.mentions-me', { hasText: 'lunch?' });
    await row.waitFor();
    expect(await row.locator('.mention.self').textContent()).toBe(`@${boName}`);
    await expect.poll(() => link.getByText('mention').count()).toBe(0);
    // Escape closes the suggestions without taking one.
    await box.fill('');
    await box.pressSequentially('@he');
    await list.getByRole('option', { name: /^here/ }).waitFor();
    await box.press('Escape');
    expect(await list.count()).toBe(0);
    await box.fill('');
  });

  it('shows who has seen a message in a small group, live', async () => {
    await bo.page.getByRole('link', { name: 'General' }).click();
    await send(ana.page, 'did everyone see the plan?');
    await expectMessage(ana.page, 'did everyone see the plan?');
    const row = ana.page.locator('li.message', { hasText: 'did everyone see the plan?' });
    expect(await row.locator('.seen-by').count()).toBe(0);
    await bo.page.getByRole('link', { name: new RegExp(`^${room}`) }).click();
    await expectMessage(bo.page, 'did everyone see the plan?');
    await row.locator('.seen-by', { hasText: `Seen by ${boName}` }).waitFor();
  });

  it('ticks a DM from sent to delivered to read between two windows', async () => {
    const token = await tokenOf(ana.page);
    const boId = await bo.page.evaluate(
      () => JSON.parse(localStorage.getItem('parley.session') ?? '{}').user.id,
    );
    const dm = await fetch(`${env.server.url}/api/dms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: boId }),
    });
    const { room: dmRoom } = (await dm.json()) as { room: Room };
    await bo.page.getByRole('link', { name: 'General' }).click();
    await ana.page.evaluate((id) => {
      location.hash = `#/rooms/${id}`;
    }, dmRoom.id);
    await ana.page.getByRole('heading', { name: boName }).waitFor();
    await send(ana.page, 'are you free tonight?');
    const ticks = ana.page.locator('li.message', { hasText: 'are you free tonight?' }).locator('.ticks');
    // Bo's window is open on another room: the message reaches it (delivered), unread.
    await ticks.locator('.receipt-words', { hasText: 'Delivered' }).waitFor();
    await bo.page.getByRole('link', { name: anaName }).click();
    await expectMessage(bo.page, 'are you free tonight?');
    await ticks.locator('.receipt-words', { hasText: 'Read' }).waitFor();
    expect(await ticks.getAttribute('class')).toContain('read');
  });

  it('sets a room to mentions only and mutes it from the header', async () => {
    await ana.page.getByRole('link', { name: new RegExp(`^${room}`) }).click();
    await ana.page.getByRole('button', { name: /^Notifications/ }).click();
    await ana.page.getByLabel('Notify me of').selectOption('mentions');
    await ana.page.getByRole('button', { name: 'Notifications: Mentions of me' }).waitFor();
    await ana.page.getByLabel('Mute').selectOption('forever');
    await ana.page.getByRole('button', { name: 'Muted' }).waitFor();
    // A muted room's count stays quiet in the list.
    await ana.page.getByRole('link', { name: 'General' }).click();
    await send(bo.page, 'quiet please');
    const link = ana.page.getByRole('link', { name: new RegExp(`^${room}`) });
    await link.getByText('muted').waitFor();
    await expect.poll(async () => link.getByText('unread').count()).toBe(0);
  });

  it('is an installable app: a manifest with icons and a registered service worker', async () => {
    const manifestHref = await ana.page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await fetch(new URL(manifestHref ?? '', `${env.server.url}/`))).json()) as {
      display: string;
      icons: { sizes: string; src: string }[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const png = await fetch(new URL(icon.src, `${env.server.url}/`));
      expect(png.headers.get('content-type')).toBe('image/png');
    }
    const scope = await ana.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${env.server.url}/`);
  });

  it('shows its offline page, not the browser’s error, when the server is down', async () => {
    const page = bo.page;
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The page is controlled by the worker once it has claimed it.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await env.server.close();
    await page.reload();
    await page.getByRole('heading', { name: 'Parley can’t reach the server' }).waitFor();
    await page.getByRole('button', { name: 'Try again' }).waitFor();
  });
});
