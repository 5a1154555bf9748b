import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectMessage, registerInUi, send, uniqueName } from './support/app';
import { serverAndBrowser } from './support/fixture';

/** Every Content-Security-Policy violation the page reports, as the browser words it. */
function violations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

describe('the Content-Security-Policy', () => {
  const env = serverAndBrowser();

  it('lets the web client sign up, connect its socket and chat without a single violation', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const refused = violations(page);
    await page.goto(env.server.url);
    await registerInUi(page, uniqueName('csp'));
    await page.getByRole('link', { name: 'General' }).click();
    await send(page, 'under a strict policy');
    await expectMessage(page, 'under a strict policy');
    // The theme script runs from its file before the app: a remembered theme still applies at load.
    await page.evaluate(() => localStorage.setItem('parley.theme', 'dark'));
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const transport = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(transport.some((name) => name.includes('socket.io'))).toBe(true);
    expect(refused).toEqual([]);
    // An inline script injected into the page is refused: the policy is enforced, not decorative.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    });
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    await context.close();
  });

  it('leaves the API documentation working at /docs', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const refused = violations(page);
    await page.goto(`${env.server.url}/docs/`);
    await page.getByText('/api/register').first().waitFor();
    expect(refused).toEqual([]);
    await context.close();
  });
});
