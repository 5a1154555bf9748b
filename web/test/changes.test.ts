import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  composer,
  createRoomInUi,
  expectMessage,
  joinRoomInUi,
  registerInUi,
  send,
  uniqueName,
} from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

/** A confirmed message in the open room's timeline, by a piece of its text. */
const row = (page: Page, text: string) =>
  page.getByRole('log', { name: 'Messages' }).locator('li.message[data-seq]', { hasText: text });

/** Its actions toolbar, shown as the mouse rests on the message. */
async function actions(page: Page, text: string) {
  await row(page, text).hover();
  return row(page, text).getByRole('toolbar', { name: 'Message actions' });
}

describe('messages that change, between two windows', () => {
  const env = serverAndBrowser();
  let ana: Person;
  let bo: Person;
  const room = uniqueName('changes');

  beforeAll(async () => {
    ana = await openPerson(env.browser, env.server.url);
    bo = await openPerson(env.browser, env.server.url);
    await registerInUi(ana.page, uniqueName('ana'));
    await registerInUi(bo.page, uniqueName('bo'));
    await createRoomInUi(ana.page, room);
    await joinRoomInUi(bo.page, room);
  });

  it('edits a message in place, seen as edited in the other window', async () => {
    await send(ana.page, 'Lunch at noon?');
    await expectMessage(bo.page, 'Lunch at noon?');
    await (await actions(ana.page, 'Lunch at noon?')).getByRole('button', { name: 'Edit message' }).click();
    const editor = ana.page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Lunch at one?');
    await editor.press('Enter');

    for (const page of [ana.page, bo.page]) {
      await row(page, 'Lunch at one?').getByText('(edited)').waitFor();
      expect(await row(page, 'Lunch at noon?').count()).toBe(0);
    }
  });

  it('edits the last own message with ↑ from an empty composer, and Escape cancels', async () => {
    await send(ana.page, 'Meet at the door');
    await expectMessage(bo.page, 'Meet at the door');
    await composer(ana.page).focus();
    await composer(ana.page).press('ArrowUp');
    const editor = ana.page.getByRole('textbox', { name: 'Edit message' });
    expect(await editor.inputValue()).toBe('Meet at the door');
    await editor.fill('never saved');
    await editor.press('Escape');
    await editor.waitFor({ state: 'detached' });
    expect(await row(ana.page, 'never saved').count()).toBe(0);
    await expect.poll(() => composer(ana.page).evaluate((el) => el === document.activeElement)).toBe(true);

    await composer(ana.page).press('ArrowUp');
    await editor.fill('Meet at the back door');
    await editor.press('Enter');
    await row(bo.page, 'Meet at the back door').getByText('(edited)').waitFor();
  });

  it('asks before deleting and leaves a tombstone in both windows', async () => {
    await send(ana.page, 'Oops, wrong room');
    await expectMessage(bo.page, 'Oops, wrong room');
    const seq = await row(ana.page, 'Oops, wrong room').getAttribute('data-seq');
    // Bo is no moderator: he cannot delete Ana's message.
    expect(
      await (await actions(bo.page, 'Oops, wrong room'))
        .getByRole('button', { name: 'Delete message' })
        .count(),
    ).toBe(0);

    await (await actions(ana.page, 'Oops, wrong room'))
      .getByRole('button', { name: 'Delete message' })
      .click();
    const dialog = ana.page.getByRole('dialog', { name: 'Delete this message?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectMessage(bo.page, 'Oops, wrong room');

    await (await actions(ana.page, 'Oops, wrong room'))
      .getByRole('button', { name: 'Delete message' })
      .click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    for (const page of [ana.page, bo.page]) {
      const tomb = page.locator(`li.message[data-seq="${seq}"]`);
      await tomb.getByText('This message was deleted').waitFor();
      expect(await tomb.textContent()).not.toContain('wrong room');
    }
  });

  it('reacts from the picker with search, counts both, and toggles off with the chip', async () => {
    await send(ana.page, 'Shipped the release');
    await expectMessage(bo.page, 'Shipped the release');
    await (await actions(bo.page, 'Shipped the release'))
      .getByRole('button', { name: 'Add reaction' })
      .click();
    const picker = bo.page.getByRole('dialog', { name: 'Add a reaction' });
    await picker.getByLabel('Search emoji').fill('party');
    expect(await picker.getByRole('button').count()).toBe(2);
    await picker.getByRole('button', { name: 'party popper' }).click();

    const chip = (page: Page) => row(page, 'Shipped the release').locator('.reaction', { hasText: '🎉' });
    await expect.poll(() => chip(ana.page).textContent()).toContain('1');
    expect(await chip(bo.page).getAttribute('aria-pressed')).toBe('true');
    expect(await chip(ana.page).getAttribute('aria-pressed')).toBe('false');

    await chip(ana.page).click();
    await expect.poll(() => chip(bo.page).textContent()).toContain('2');
    await chip(bo.page).click();
    await expect.poll(() => chip(ana.page).textContent()).toContain('1');
    expect(await chip(ana.page).getAttribute('aria-pressed')).toBe('true');
  });

  it('reaches a message and its actions from the keyboard alone', async () => {
    await send(bo.page, 'Keyboard only');
    await expectMessage(ana.page, 'Keyboard only');
    await ana.page.getByRole('log', { name: 'Messages' }).focus();
    await ana.page.keyboard.press('ArrowUp');
    const focused = row(ana.page, 'Keyboard only');
    await expect.poll(() => focused.evaluate((el) => el === document.activeElement)).toBe(true);
    const bar = focused.getByRole('toolbar', { name: 'Message actions' });
    await bar.waitFor();
    // Tab walks the message's own controls (the author's name opens their card), then its toolbar.
    const focusedLabel = () => ana.page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    const passed: (string | null | undefined)[] = [];
    for (let i = 0; i < 4 && passed.at(-1) !== 'Add reaction'; i += 1) {
      await ana.page.keyboard.press('Tab');
      expect(await focused.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      passed.push(await focusedLabel());
    }
    expect(passed.at(-1)).toBe('Add reaction');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('thumbs up');
    await ana.page.keyboard.press('Enter');
    await row(bo.page, 'Keyboard only').locator('.reaction', { hasText: '👍' }).waitFor();
  });

  it('replies in a thread beside the room, live in the other window, and also to the room when asked', async () => {
    await send(ana.page, 'Which day for the offsite?');
    await expectMessage(bo.page, 'Which day for the offsite?');
    await (await actions(bo.page, 'Which day for the offsite?'))
      .getByRole('button', { name: 'Reply in thread' })
      .click();
    const boThread = bo.page.getByRole('complementary', { name: 'Thread' });
    await boThread.getByText('Which day for the offsite?').waitFor();
    await boThread.getByLabel('Reply in thread').fill('Thursday works for me');
    await boThread.getByLabel('Reply in thread').press('Enter');
    await boThread.locator('li.message[data-seq]', { hasText: 'Thursday works' }).waitFor();

    // Ana sees the count under the root; the reply stays out of the room's timeline.
    const summary = row(ana.page, 'Which day for the offsite?').getByRole('link', { name: /1 reply/ });
    await summary.waitFor();
    expect(await row(ana.page, 'Thursday works').count()).toBe(0);
    await summary.click();
    const anaThread = ana.page.getByRole('complementary', { name: 'Thread' });
    await anaThread.getByText('Thursday works for me').waitFor();
    expect(ana.page.url()).toMatch(/#\/rooms\/[^/]+\/threads\/\d+$/);

    // Live in the open panel, and "also send to room" puts it on both timelines.
    await boThread.getByRole('checkbox', { name: 'Also send to room' }).check();
    await boThread.getByLabel('Reply in thread').fill('Friday as a fallback');
    await boThread.getByLabel('Reply in thread').press('Enter');
    await anaThread.getByText('Friday as a fallback').waitFor();
    await expectMessage(ana.page, 'Friday as a fallback');
    await row(ana.page, 'Which day for the offsite?')
      .getByRole('link', { name: /2 replies/ })
      .waitFor();

    // A deleted root keeps its thread readable.
    await (await actions(ana.page, 'Which day for the offsite?'))
      .getByRole('button', { name: 'Delete message' })
      .click();
    await ana.page
      .getByRole('dialog', { name: 'Delete this message?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await boThread.getByText('This message was deleted').waitFor();
    expect(await boThread.getByText('Thursday works for me').count()).toBe(1);
    await anaThread.getByRole('button', { name: 'Close thread' }).click();
    await anaThread.waitFor({ state: 'detached' });
  });

  it('pins a message, lists it in the pinned panel of the other window, and jumps to it', async () => {
    await send(ana.page, 'The wifi password is on the fridge');
    for (let i = 1; i <= 3; i++) await send(ana.page, `filler ${i}`);
    await expectMessage(bo.page, 'filler 3');
    await (await actions(ana.page, 'wifi password')).getByRole('button', { name: 'Pin message' }).click();
    await row(bo.page, 'wifi password').getByText('Pinned').waitFor();

    await bo.page.getByRole('button', { name: 'Pinned' }).click();
    const panel = bo.page.getByRole('complementary', { name: 'Pinned messages' });
    const pin = panel.getByRole('button', { name: /wifi password/ });
    await pin.click();
    expect(bo.page.url()).toMatch(/#\/rooms\/[^/]+\/messages\/\d+$/);
    await bo.page.locator('li.message.highlighted', { hasText: 'wifi password' }).waitFor();

    // Unpinned in Ana's window: gone from Bo's open list.
    await (await actions(ana.page, 'wifi password')).getByRole('button', { name: 'Unpin message' }).click();
    await pin.waitFor({ state: 'detached' });
    await panel.getByText('Nothing is pinned yet.').waitFor();
  });
});
