import { beforeAll, describe, expect, it } from 'vitest';
import { connected, expectMessage, password, registerInUi, send, uniqueName } from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

/** A 2×2 red PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4Y2wMRAwQCgAj6gTJ2R4cRwAAAABJRU5ErkJggg==',
  'base64',
);

async function signInInUi(person: Person, username: string, secret = password): Promise<void> {
  await person.page.getByLabel('Username').fill(username);
  await person.page.getByLabel('Password', { exact: true }).fill(secret);
  await person.page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
}

async function openSettings(person: Person, section: string): Promise<void> {
  await person.page.getByRole('button', { name: /^Account menu for / }).click();
  await person.page
    .getByRole('list', { name: 'Account menu' })
    .getByRole('button', { name: /Settings/ })
    .click();
  await person.page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: section })
    .click();
}

describe('account settings', () => {
  const env = serverAndBrowser();
  let ana: Person;
  const username = uniqueName('ana');

  beforeAll(async () => {
    ana = await openPerson(env.browser, env.server.url);
    await registerInUi(ana.page, username);
  });

  it('changes the password: the rules are shown first, every problem at once, and the other window is signed out', async () => {
    const laptop = await openPerson(env.browser, env.server.url);
    await signInInUi(laptop, username);
    await connected(laptop.page);

    await openSettings(ana, 'Password');
    const rules = ana.page.getByRole('list', { name: 'Password rules' });
    await rules.getByText('Must not contain your username.').waitFor();
    const form = ana.page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill(password);
    await form.getByLabel('New password', { exact: true }).fill(username.slice(0, 4));
    await form.getByLabel('New password again').fill('something else');
    const problems = ana.page.getByRole('list', { name: 'Problems with the new password' });
    await problems.getByText('The password needs at least 8 characters.').waitFor();
    await problems.getByText('The two new passwords differ.').waitFor();
    await form.getByLabel('New password', { exact: true }).fill(`my-${username}-secret`);
    await problems.getByText('The password must not contain your username.').waitFor();

    const next = 'lantern orchard violet 93';
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByLabel('New password again').fill(next);
    await form.getByRole('button', { name: 'Change password' }).click();
    await ana.page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();

    await laptop.page.getByRole('form', { name: 'Sign in' }).waitFor();
    await signInInUi(laptop, username);
    await laptop.page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    await signInInUi(laptop, username, next);
    await connected(laptop.page);
    await laptop.page.getByRole('button', { name: /^Account menu for / }).click();
    await laptop.page.getByRole('button', { name: /Log out/ }).click();
    await laptop.page.getByRole('form', { name: 'Sign in' }).waitFor();
    await laptop.context.close();
  });

  it('ends another session from the list, and that window goes back to the sign-in screen', async () => {
    const phone = await openPerson(env.browser, env.server.url);
    await signInInUi(phone, username, 'lantern orchard violet 93');
    await connected(phone.page);

    await openSettings(ana, 'Sessions');
    const list = ana.page.getByRole('list', { name: 'Sessions' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    await list.getByRole('listitem').filter({ hasText: 'this one' }).waitFor();
    expect(await list.getByRole('listitem').first().textContent()).toMatch(/Chrom/);
    const other = list.getByRole('listitem').filter({ hasNotText: 'this one' });
    await other.getByRole('button', { name: 'End' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await phone.page.getByRole('form', { name: 'Sign in' }).waitFor();
    await phone.context.close();
  });

  it('shows a new display name and avatar in another person’s window, and on the person card', async () => {
    const bob = await openPerson(env.browser, env.server.url);
    await registerInUi(bob.page, uniqueName('bob'));
    for (const person of [ana, bob]) {
      await person.page.goto(`${env.server.url}/#/`);
      await person.page.getByRole('link', { name: 'General' }).click();
    }
    await send(ana.page, 'Hello from Ana');
    await expectMessage(bob.page, 'Hello from Ana');

    await openSettings(ana, 'Profile');
    const form = ana.page.getByRole('form', { name: 'Profile' });
    await form.getByLabel('Display name').fill('Ana María');
    await form.getByLabel('Status', { exact: true }).fill('Writing tests');
    await form.getByLabel('Time zone').fill('Asia/Tokyo');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await ana.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await ana.page
      .getByRole('button', { name: `Account menu for ${username}` })
      .getByText('Ana María')
      .waitFor();
    await ana.page
      .getByLabel('Avatar image')
      .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
    await ana.page.locator('.settings-avatar img').waitFor();

    const row = bob.page.locator('li.message').filter({ hasText: 'Hello from Ana' });
    await row.getByText('Ana María').waitFor();
    await row.getByText(`@${username}`).waitFor();
    await row.locator('img').waitFor();
    expect(await row.locator('img').getAttribute('src')).toMatch(/\/api\/avatars\//);

    await row.getByRole('button', { name: /Ana María/ }).click();
    const card = bob.page.getByRole('dialog');
    await card.getByText('Writing tests').waitFor();
    await card.getByText('Asia/Tokyo').waitFor();
    await card.getByRole('button', { name: 'Message' }).waitFor();
    await card.getByRole('button', { name: 'Close' }).click();
    await bob.context.close();
  });

  it('an admin hands over a one-time reset link; it sets a new password once', async () => {
    const cleoName = uniqueName('cleo');
    const cleo = await openPerson(env.browser, env.server.url);
    await registerInUi(cleo.page, cleoName);
    await cleo.context.close();

    await ana.page.evaluate(() => {
      location.hash = '#/admin/users';
    });
    const row = ana.page.getByRole('row', { name: cleoName });
    await row.getByRole('button', { name: 'Reset link' }).click();
    const link = await ana.page.getByRole('textbox', { name: 'Reset link' }).inputValue();
    expect(link).toMatch(/#\/reset-password\/[A-Za-z0-9_-]+$/);
    await ana.page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

    const stranger = await openPerson(env.browser, link);
    const form = stranger.page.getByRole('form', { name: 'Reset password' });
    await form.getByText(cleoName).waitFor();
    await form.getByLabel('New password', { exact: true }).fill('copper kettle meadow 51');
    await form.getByLabel('New password again').fill('copper kettle meadow 51');
    await form.getByRole('button', { name: 'Set the new password' }).click();
    await stranger.page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    await stranger.page.reload();
    await stranger.page
      .getByRole('alert')
      .filter({ hasText: 'not valid, already used or expired' })
      .waitFor();
    await stranger.page.goto(`${env.server.url}/#/`);
    await signInInUi(stranger, cleoName, 'copper kettle meadow 51');
    await connected(stranger.page);
    await stranger.context.close();
  });
});
