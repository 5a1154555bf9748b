import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInUi, uniqueName } from './support/app';
import { launchBrowser, openPerson } from './support/browser';
import { serverWithProvider, type TestProvider } from './support/provider';
import type { RunningServer } from './support/server';

describe('the admin’s password sign-in switch with single sign-on set up', () => {
  let idp: TestProvider;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ idp, server } = await serverWithProvider());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  });

  it('stays on until the admin links their own account, then turns off: only the provider signs in', async () => {
    // The first account on a server is its admin.
    const adminName = uniqueName('boss');
    const admin = await openPerson(browser, server.url);
    await registerInUi(admin.page, adminName);
    await admin.page.evaluate(() => {
      location.hash = '#/admin/settings';
    });
    const form = admin.page.getByRole('form', { name: 'Server settings' });
    const passwords = form.getByLabel('People may sign in with a username and password');
    await passwords.waitFor();
    expect(await passwords.isDisabled()).toBe(true);
    await form.getByText(/^To turn it off, first link your own account to Test IdP/).waitFor();

    await form.getByRole('link', { name: 'Settings → Sign-in' }).click();
    await admin.page.getByRole('button', { name: 'Link Test IdP' }).click();
    await admin.page.locator('input[name="login"]').fill(adminName);
    await admin.page.locator('input[name="password"]').fill('anything');
    await admin.page.getByRole('button', { name: 'Sign-in' }).click();
    await admin.page.getByText('This account signs in with Test IdP.').waitFor();

    await admin.page.evaluate(() => {
      location.hash = '#/admin/settings';
    });
    await passwords.waitFor();
    expect(await passwords.isDisabled()).toBe(false);
    await passwords.uncheck();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const visitor = await openPerson(browser, server.url);
    await visitor.page.getByRole('button', { name: 'Sign in with Test IdP' }).waitFor();
    expect(await visitor.page.getByRole('form', { name: 'Sign in' }).isHidden()).toBe(true);
    await Promise.all([admin.context.close(), visitor.context.close()]);
  });
});
