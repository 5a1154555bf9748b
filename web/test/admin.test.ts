import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { password, registerInUi, uniqueName } from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('the admin area', () => {
  const env = serverAndBrowser();
  let admin: Person;
  let member: Person;
  const adminName = uniqueName('boss');
  const memberName = uniqueName('member');

  beforeAll(async () => {
    admin = await openPerson(env.browser, env.server.url);
    member = await openPerson(env.browser, env.server.url);
    // The first account registered on a server is its admin.
    await registerInUi(admin.page, adminName);
    await registerInUi(member.page, memberName);
  });

  const section = (name: string) =>
    admin.page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name });

  it('is offered to admins only, at its own address', async () => {
    await member.page.getByRole('button', { name: `Account menu for ${memberName}` }).click();
    await member.page.getByRole('list', { name: 'Account menu' }).waitFor();
    expect(await member.page.getByRole('button', { name: /Administration/ }).count()).toBe(0);
    await member.page.keyboard.press('Escape');
    // Typing the address does not help: the page says whose it is, and the server refuses the data.
    await member.page.evaluate(() => {
      location.hash = '#/admin/users';
    });
    await member.page
      .getByRole('alert')
      .filter({ hasText: 'This area is for the server’s admins.' })
      .waitFor();
    expect(await member.page.getByRole('table', { name: 'Users' }).count()).toBe(0);
    await member.page.goBack();

    await admin.page.getByRole('button', { name: `Account menu for ${adminName}` }).click();
    await admin.page.getByRole('button', { name: /Administration/ }).click();
    await admin.page.getByRole('table', { name: 'Users' }).waitFor();
    expect(await admin.page.evaluate(() => location.hash)).toBe('#/admin/users');
  });

  it('finds a person and disables them: their window is signed out at once', async () => {
    await admin.page.getByRole('searchbox', { name: 'Find accounts' }).fill(memberName.slice(0, -1));
    const row = admin.page.getByRole('row', { name: memberName });
    await row.waitFor();
    await expect
      .poll(() => admin.page.getByRole('table', { name: 'Users' }).locator('tbody tr').count())
      .toBe(1);
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByRole('cell', { name: 'Disabled' }).waitFor();

    await member.page.getByRole('form', { name: 'Sign in' }).waitFor({ timeout: 5_000 });
    await member.page.getByLabel('Username').fill(memberName);
    await member.page.getByLabel('Password').fill('correct horse battery staple');
    await member.page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
    await member.page.getByRole('alert').filter({ hasText: 'This account is disabled.' }).waitFor();

    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByRole('cell', { name: 'Active' }).waitFor();
  });

  it('hands over a one-time password reset link for an account', async () => {
    const row = admin.page.getByRole('row', { name: memberName });
    await row.getByRole('button', { name: 'Reset link' }).click();
    const dialog = admin.page.getByRole('dialog', { name: `Password reset link for ${memberName}` });
    const link = await dialog.getByRole('textbox', { name: 'Reset link' }).inputValue();
    const token = decodeURIComponent(link.split('/').pop() ?? '');
    const check = await fetch(`${env.server.url}/api/password/reset/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ username: memberName });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('closes registration, and the sign-in screen says so', async () => {
    await section('Settings').click();
    const form = admin.page.getByRole('form', { name: 'Server settings' });
    await form.getByLabel('Registration').selectOption('closed');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const stranger = await openPerson(env.browser, env.server.url);
    await stranger.page
      .getByRole('status')
      .filter({ hasText: 'Registration is closed on this server' })
      .waitFor();
    expect(await stranger.page.getByRole('tab', { name: 'Create account' }).isDisabled()).toBe(true);
    await stranger.context.close();
  });

  it('asks for the number of days again before a short retention', async () => {
    const form = admin.page.getByRole('form', { name: 'Server settings' });
    await form.getByLabel('Delete old messages').check();
    await form.getByLabel('Keep messages for (days)').fill('7');
    const confirm = form.getByLabel(/Type 7 to confirm/);
    await confirm.fill('8');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('alert').waitFor();
    const unchanged = await adminFetch('/api/admin/settings');
    expect(unchanged.settings.retentionDays).toBeNull();

    await confirm.fill('7');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await adminFetch('/api/admin/settings')).settings.retentionDays).toBe(7);
  });

  it('keeps password sign-in on while single sign-on is not set up, and requires two-factor of everyone', async () => {
    const form = admin.page.getByRole('form', { name: 'Server settings' });
    const passwords = form.getByLabel('People may sign in with a username and password');
    expect(await passwords.isChecked()).toBe(true);
    expect(await passwords.isDisabled()).toBe(true);
    await form.getByText(/^Single sign-on is not set up on this server/).waitFor();

    const twoFactor = form.getByLabel('Require two-factor sign-in of');
    await twoFactor.selectOption('everyone');
    // The admin is among those it names, and is told before saving.
    await form.getByText(/^You have not turned on two-factor yourself/).waitFor();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await adminFetch('/api/admin/settings')).settings.twoFactor).toBe('everyone');

    // A member's next sign-in asks them to set up two-factor before it lets them in.
    const laptop = await openPerson(env.browser, env.server.url);
    await laptop.page.getByLabel('Username').fill(memberName);
    await laptop.page.getByLabel('Password', { exact: true }).fill(password);
    await laptop.page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
    await laptop.page
      .getByRole('form', { name: 'Two-factor sign-in' })
      .getByText('This server requires two-factor sign-in for your account.')
      .waitFor();
    await laptop.context.close();

    await twoFactor.selectOption('off');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await adminFetch('/api/admin/settings')).settings.twoFactor).toBe('off');
  });

  it('reads the audit log, filters it, goes back and forth between sections, and exports it', async () => {
    await section('Audit log').click();
    const log = admin.page.getByRole('table', { name: 'Audit log' });
    await log.getByRole('row').filter({ hasText: 'user.disable' }).filter({ hasText: memberName }).waitFor();
    await log.getByRole('row').filter({ hasText: 'settings.update' }).first().waitFor();

    await admin.page.getByRole('combobox', { name: 'Action' }).selectOption('user');
    await expect
      .poll(async () => (await log.locator('tbody tr').allTextContents()).every((t) => t.includes('user.')))
      .toBe(true);
    expect(await log.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);

    await admin.page.goBack();
    await admin.page.getByRole('form', { name: 'Server settings' }).waitFor();
    expect(await admin.page.evaluate(() => location.hash)).toBe('#/admin/settings');
    await admin.page.goForward();
    await log.waitFor();

    const [download] = await Promise.all([
      admin.page.waitForEvent('download'),
      admin.page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv.split('\n')[0]).toContain('action');
    expect(csv).toContain('user.disable');
  });

  it('creates an invite link that registers someone while registration is invite-only', async () => {
    await section('Settings').click();
    const form = admin.page.getByRole('form', { name: 'Server settings' });
    await form.getByLabel('Registration').selectOption('invite');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    await section('Invites').click();
    await admin.page.getByLabel('Uses (empty: any)').fill('1');
    await admin.page.getByRole('button', { name: 'Create invite link' }).click();
    const link = await admin.page.getByRole('textbox', { name: 'Invite link' }).inputValue();
    expect(link).toContain('?invite=');
    await admin.page
      .getByRole('table', { name: 'Invite links' })
      .getByRole('cell', { name: '0 of 1' })
      .waitFor();

    const newcomer = await openPerson(env.browser, link);
    const name = uniqueName('invited');
    await newcomer.page.getByLabel('Username').fill(name);
    await newcomer.page.getByLabel('Password').fill('correct horse battery staple');
    expect(await newcomer.page.getByLabel('Invite code').inputValue()).not.toBe('');
    await newcomer.page
      .getByRole('form', { name: 'Create account' })
      .getByRole('button', { name: 'Create account' })
      .click();
    await newcomer.page.getByRole('button', { name: `Account menu for ${name}` }).waitFor();
    await newcomer.context.close();
  });

  async function adminFetch(path: string) {
    const token = await admin.page.evaluate(
      () => JSON.parse(localStorage.getItem('parley.session') ?? '{}').token,
    );
    const response = await fetch(`${env.server.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  }
});
