import { beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  expectMessage,
  messageCount,
  registerInUi,
  send,
  tokenOf,
  uniqueName,
} from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('a session', () => {
  const env = serverAndBrowser();
  let me: Person;
  const username = uniqueName('stays');

  beforeAll(async () => {
    me = await openPerson(env.browser, env.server.url);
    await registerInUi(me.page, username);
  });

  it('survives a reload with the same account, room and history', async () => {
    await me.page.getByRole('link', { name: 'General' }).click();
    await send(me.page, 'Before the reload');
    await expectMessage(me.page, 'Before the reload');

    await me.page.reload();
    await connected(me.page);
    await me.page.getByRole('button', { name: `Account menu for ${username}` }).waitFor();
    await me.page.getByRole('heading', { name: 'General' }).waitFor();
    await expectMessage(me.page, 'Before the reload');
    expect(await messageCount(me.page, 'Before the reload')).toBe(1);
  });

  it('explains a refused sign-in next to the form, in words', async () => {
    const stranger = await openPerson(env.browser, env.server.url);
    await stranger.page.getByLabel('Username').fill(username);
    await stranger.page.getByLabel('Password').fill('not the password');
    await stranger.page
      .getByRole('form', { name: 'Sign in' })
      .getByRole('button', { name: 'Sign in' })
      .click();
    await stranger.page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await stranger.page.getByRole('tab', { name: 'Create account' }).click();
    await stranger.page.getByLabel('Username').fill(username);
    await stranger.page.getByLabel('Password').fill('another long passphrase');
    await stranger.page
      .getByRole('form', { name: 'Create account' })
      .getByRole('button', { name: 'Create account' })
      .click();
    await stranger.page.getByRole('alert').filter({ hasText: /taken/i }).waitFor();
    await stranger.context.close();
  });

  it('opens and closes the account menu with the keyboard alone', async () => {
    const menuButton = me.page.getByRole('button', { name: `Account menu for ${username}` });
    const focused = () => me.page.evaluate(() => document.activeElement?.textContent?.trim());
    await menuButton.focus();
    await me.page.keyboard.press('Enter');
    await expect.poll(focused).toMatch(/Dark theme|Light theme/);
    await me.page.keyboard.press('Tab');
    await expect.poll(focused).toMatch(/notifications|Log out/);
    await me.page.keyboard.press('Escape');
    await me.page.getByRole('list', { name: 'Account menu' }).waitFor({ state: 'detached' });
    expect(await menuButton.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('logs out to the login screen and the old token stops working', async () => {
    const token = await tokenOf(me.page);
    const before = await fetch(`${env.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(before.status).toBe(200);

    await me.page.getByRole('button', { name: `Account menu for ${username}` }).click();
    await me.page.getByRole('button', { name: /Log out/ }).click();
    await me.page.getByRole('form', { name: 'Sign in' }).waitFor();

    const after = await fetch(`${env.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect(await me.page.evaluate(() => localStorage.getItem('parley.session'))).toBeNull();
    await me.page.reload();
    await me.page.getByRole('form', { name: 'Sign in' }).waitFor();
  });
});
