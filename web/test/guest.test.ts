import { describe, expect, it } from 'vitest';
import {
  connected,
  createRoomInUi,
  expectMessage,
  joinRoomInUi,
  registerInUi,
  send,
  uniqueName,
} from './support/app';
import { openPerson } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('guests', () => {
  const env = serverAndBrowser();

  it('lets a guest join a room in one click and chat with a registered person', async () => {
    const host = await openPerson(env.browser, env.server.url);
    const hostName = uniqueName('host');
    const room = uniqueName('lobby');
    await registerInUi(host.page, hostName);
    await createRoomInUi(host.page, room);

    const guest = await openPerson(env.browser, env.server.url);
    await guest.page.getByRole('button', { name: 'Continue as guest' }).click();
    await connected(guest.page);
    const guestName = (await guest.page
      .getByRole('button', { name: /^Account menu for / })
      .getAttribute('aria-label'))!.replace('Account menu for ', '');
    expect(guestName).toMatch(/^guest-/);
    await joinRoomInUi(guest.page, room);

    await send(guest.page, 'Hi, just visiting!');
    await expectMessage(host.page, 'Hi, just visiting!');
    await send(host.page, 'Welcome, guest.');
    await expectMessage(guest.page, 'Welcome, guest.');
    await host.page
      .getByRole('complementary', { name: 'Members' })
      .locator('li.member', { hasText: guestName })
      .getByText('guest', { exact: true })
      .waitFor();
  });

  it('turns a guest into an account that keeps its rooms and history', async () => {
    const guest = await openPerson(env.browser, env.server.url);
    await guest.page.getByRole('button', { name: 'Continue as guest' }).click();
    await connected(guest.page);
    await guest.page.getByRole('link', { name: 'General' }).click();
    await send(guest.page, 'Said while still a guest');
    await expectMessage(guest.page, 'Said while still a guest');

    const username = uniqueName('kept');
    await guest.page.getByRole('button', { name: /^Account menu for / }).click();
    await guest.page.getByRole('button', { name: /Keep this account/ }).click();
    const dialog = guest.page.getByRole('dialog', { name: 'Keep this account' });
    await dialog.getByLabel('Username').fill(username);
    await dialog.getByLabel('Password').fill('short');
    await dialog.getByRole('button', { name: 'Save account' }).click();
    // A weak password is refused in words, next to the password field.
    await dialog
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .waitFor();

    await dialog.getByLabel('Password').fill('a much longer passphrase');
    await dialog.getByRole('button', { name: 'Save account' }).click();
    await guest.page.getByRole('button', { name: `Account menu for ${username}` }).waitFor();
    await connected(guest.page);
    await guest.page.getByRole('link', { name: 'General' }).click();
    await expectMessage(guest.page, 'Said while still a guest');

    const other = await openPerson(env.browser, env.server.url);
    await registerInUi(other.page, uniqueName('reader'));
    await other.page.getByRole('link', { name: 'General' }).click();
    await other.page
      .locator('li.message', { hasText: 'Said while still a guest' })
      .getByText(username, { exact: true })
      .waitFor();
  });
});
