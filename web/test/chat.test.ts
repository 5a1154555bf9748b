import { beforeAll, describe, expect, it } from 'vitest';
import {
  composer,
  createRoomInUi,
  expectMessage,
  joinRoomInUi,
  messageCount,
  registerInUi,
  send,
  uniqueName,
} from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('two people chatting', () => {
  const env = serverAndBrowser();
  let ana: Person;
  let bo: Person;
  const room = uniqueName('plans');
  const anaName = uniqueName('ana');
  const boName = uniqueName('bo');

  beforeAll(async () => {
    ana = await openPerson(env.browser, env.server.url);
    bo = await openPerson(env.browser, env.server.url);
    await registerInUi(ana.page, anaName);
    await registerInUi(bo.page, boName);
  });

  it('lets two people register, join one room and exchange messages both ways', async () => {
    await createRoomInUi(ana.page, room);
    await joinRoomInUi(bo.page, room);

    await send(ana.page, 'Hello Bo, lunch at noon?');
    await expectMessage(bo.page, 'Hello Bo, lunch at noon?');
    await send(bo.page, 'Sounds good, Ana!');
    await expectMessage(ana.page, 'Sounds good, Ana!');

    // Each side sees each message once, and its own messages marked as its own.
    expect(await messageCount(ana.page, 'Hello Bo')).toBe(1);
    expect(await messageCount(bo.page, 'Hello Bo')).toBe(1);
    await ana.page.locator('li.message.own', { hasText: 'Hello Bo' }).waitFor();
    await bo.page.locator('li.message.own', { hasText: 'Sounds good' }).waitFor();
  });

  it('counts unread messages in the room list and the tab title, and marks where they start', async () => {
    await ana.page.getByRole('link', { name: 'General' }).click();
    await send(bo.page, 'Are you there?');
    await send(bo.page, 'Second ping');
    const roomButton = ana.page.getByRole('link', { name: new RegExp(`^${room}`) });
    await roomButton.getByText('2 unread').waitFor();
    await expect.poll(() => ana.page.title()).toBe('(2) #General · Parley');

    await roomButton.click();
    const log = ana.page.getByRole('log', { name: 'Messages' });
    await log.getByText('New messages').waitFor();
    const afterMarker = log.locator('li.unread-marker + li.message');
    expect(await afterMarker.textContent()).toContain('Are you there?');
    await expect.poll(() => ana.page.title()).toBe(`#${room} · Parley`);
    expect(await roomButton.getByText('unread').count()).toBe(0);
  });

  it('explains a message that is too long next to the composer and keeps the text', async () => {
    const long = 'x'.repeat(4001);
    await composer(ana.page).fill(long);
    await composer(ana.page).press('Enter');
    await ana.page.getByRole('alert').filter({ hasText: 'too long' }).waitFor();
    expect(await composer(ana.page).inputValue()).toBe(long);
    await composer(ana.page).fill('');
  });

  it('notifies about new messages while the tab is hidden and counts them in the title', async () => {
    type Watched = { shown: string[] };
    await ana.page.evaluate(() => {
      // Headless Chromium has no notification centre: record what the page asks to show.
      const shown: string[] = [];
      (window as unknown as Watched).shown = shown;
      class RecordingNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push(`${title}: ${options?.body}`);
        }
        close() {}
      }
      Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true });
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await send(bo.page, 'ping while you are away');
    await expect
      .poll(() => ana.page.evaluate(() => (window as unknown as Watched).shown))
      .toEqual([`${boName} in #${room}: ping while you are away`]);
    await expect.poll(() => ana.page.title()).toBe(`(1) #${room} · Parley`);

    await ana.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { get: () => 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => ana.page.title()).toBe(`#${room} · Parley`);
  });

  it('shows the other window who is typing and who is online', async () => {
    await composer(bo.page).pressSequentially('I am writing', { delay: 20 });
    await ana.page.getByText(`${boName} is typing…`).waitFor();
    await send(bo.page, 'done');
    await expectMessage(ana.page, 'done');
    await expect.poll(() => ana.page.getByText(`${boName} is typing…`).count()).toBe(0);

    const boInAnasList = ana.page.getByRole('complementary', { name: 'Members' }).locator('li.member', {
      hasText: boName,
    });
    await expect.poll(() => boInAnasList.getAttribute('data-online')).toBe('true');
    await bo.context.close();
    await expect.poll(() => boInAnasList.getAttribute('data-online'), { timeout: 15_000 }).toBe('false');
  });

  it('keeps Enter for sending and Shift+Enter for a new line', async () => {
    await composer(ana.page).fill('first line');
    await composer(ana.page).press('Shift+Enter');
    await composer(ana.page).pressSequentially('second line');
    await composer(ana.page).press('Enter');
    await expectMessage(ana.page, 'second line');
    const text = await ana.page
      .locator('li.message', { hasText: 'second line' })
      .locator('.message-text')
      .textContent();
    expect(text).toBe('first line\nsecond line');
    expect(await composer(ana.page).inputValue()).toBe('');
  });
});
