import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connected, password, registerInUi, uniqueName } from './support/app';
import { launchBrowser, openPerson, type Person } from './support/browser';
import { serverWithProvider, type TestProvider } from './support/provider';
import type { RunningServer } from './support/server';

/** The authenticator app: RFC 6238 codes for any 30-second step. */
const codeAt = (secret: string, step: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: step * 30_000,
  });
const stepNow = () => Math.floor(Date.now() / 30_000);

async function openSignIn(person: Person): Promise<void> {
  await person.page.getByRole('button', { name: /^Account menu for / }).click();
  await person.page
    .getByRole('list', { name: 'Account menu' })
    .getByRole('button', { name: /Settings/ })
    .click();
  await person.page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'Sign-in' })
    .click();
}

async function signInWithPassword(person: Person, username: string): Promise<void> {
  await person.page.getByLabel('Username').fill(username);
  await person.page.getByLabel('Password', { exact: true }).fill(password);
  await person.page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
}

describe('sign-in in the browser: two-factor and single sign-on', () => {
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

  it('turns on two-factor in settings, keeps the recovery codes, and signs in with a code after the password', async () => {
    const username = uniqueName('tfa');
    const ana = await openPerson(browser, server.url);
    await registerInUi(ana.page, username);
    await openSignIn(ana);
    await ana.page.getByRole('button', { name: 'Set up two-factor' }).click();
    await ana.page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await ana.page.getByTestId('totp-secret').textContent()) ?? '';
    const confirm = ana.page.getByRole('form', { name: 'Confirm two-factor' });
    await confirm.getByLabel('Code from the app').fill(codeAt(secret, stepNow() - 1));
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    const codes = ana.page.getByRole('region', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.nth(9).waitFor();
    await ana.page.getByRole('button', { name: 'I have kept them' }).click();
    await ana.page.getByText(/Two-factor sign-in is on\. 10 recovery codes left\./).waitFor();

    const laptop = await openPerson(browser, server.url);
    await signInWithPassword(laptop, username);
    const step = laptop.page.getByRole('form', { name: 'Two-factor sign-in' });
    await step.getByLabel('Code').fill('000000');
    await step.getByRole('button', { name: 'Verify' }).click();
    await laptop.page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
    await step.getByLabel('Code').fill(codeAt(secret, stepNow()));
    await step.getByRole('button', { name: 'Verify' }).click();
    await connected(laptop.page);
    await laptop.page.getByRole('button', { name: `Account menu for ${username}` }).waitFor();
    await Promise.all([ana.context.close(), laptop.context.close()]);
  });

  it('signs in through the provider: the first time makes the account, the next time finds it', async () => {
    const login = uniqueName('sso');
    idp.accounts.set(login, { preferred_username: login, email: `${login}@example.test` });
    const first = await openPerson(browser, server.url);
    await first.page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    // The provider's own (development) login page.
    await first.page.locator('input[name="login"]').fill(login);
    await first.page.locator('input[name="password"]').fill('anything');
    await first.page.getByRole('button', { name: 'Sign-in' }).click();
    await connected(first.page);
    await first.page.getByRole('button', { name: `Account menu for ${login}` }).waitFor();

    // Another browser: the provider asks again, and the same account opens.
    const second = await openPerson(browser, server.url);
    await second.page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    await second.page.locator('input[name="login"]').fill(login);
    await second.page.locator('input[name="password"]').fill('anything');
    await second.page.getByRole('button', { name: 'Sign-in' }).click();
    await connected(second.page);
    await second.page.getByRole('button', { name: `Account menu for ${login}` }).waitFor();
    await Promise.all([first.context.close(), second.context.close()]);
  });
});
