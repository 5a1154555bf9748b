import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInUi, uniqueName } from './support/app';
import { launchBrowser, openPerson } from './support/browser';
import { type RunningServer, startServer } from './support/server';

// The test provider (a real oidc-provider), loaded by path as signin.test.ts loads it.
interface TestProvider {
  issuer: string;
  accounts: Map<string, Record<string, unknown>>;
  start(clients: Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}
const providerPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'server',
  'test',
  'identity',
  'provider.ts',
);

describe('the admin’s password sign-in switch with single sign-on set up', () => {
  let idp: TestProvider;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const { openProvider } = (await import(pathToFileURL(providerPath).href)) as {
      openProvider: () => Promise<TestProvider>;
    };
    idp = await openProvider();
    server = await startServer({
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: 'parley',
        OIDC_CLIENT_SECRET: 'parley-web-test-secret-0123456789',
        OIDC_NAME: 'Test IdP',
      },
    });
    await idp.start([
      {
        client_id: 'parley',
        client_secret: 'parley-web-test-secret-0123456789',
        redirect_uris: [`${server.url}/api/auth/oidc/callback`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ]);
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
