import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { serverAndBrowser } from './support/fixture';

/** The README's budget for the JavaScript of the first screen, gzipped (kB as Vite counts them). */
const budgetBytes = 200 * 1000;

describe('the web client’s initial JavaScript', () => {
  const env = serverAndBrowser();

  it('stays within its budget: the first screen loads at most 200 kB of gzipped JavaScript', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const scripts: Array<Promise<{ url: string; gzipped: number }>> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.push(response.body().then((body) => ({ url: response.url(), gzipped: gzipSync(body).length })));
    });
    await page.goto(env.server.url, { waitUntil: 'networkidle' });
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    const loaded = await Promise.all(scripts);
    const total = loaded.reduce((sum, script) => sum + script.gzipped, 0);
    const sizes = loaded.map((s) => `${new URL(s.url).pathname} ${(s.gzipped / 1000).toFixed(1)} kB`);
    // The app's own entry module is among them: the count is of the real client, not of a stub page.
    expect(loaded.some((s) => /\/assets\/index-[\w-]+\.js$/.test(s.url))).toBe(true);
    expect(total, `initial JavaScript, gzipped: ${sizes.join(', ')}`).toBeLessThanOrEqual(budgetBytes);
    await context.close();
  });
});
