import { beforeAll, describe, expect, it } from 'vitest';
import { registerInUi, uniqueName } from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('presence in the member list', () => {
  // A tab untouched for a second counts as away here (five minutes by default).
  const env = serverAndBrowser({ env: { PRESENCE_AWAY_AFTER_MS: '1000', PRESENCE_WINDOW_MS: '200' } });
  let ana: Person;
  let bo: Person;
  const boName = uniqueName('bo');

  beforeAll(async () => {
    ana = await openPerson(env.browser, env.server.url);
    bo = await openPerson(env.browser, env.server.url);
    await registerInUi(ana.page, uniqueName('ana'));
    await registerInUi(bo.page, boName);
  });

  it('shows someone away when their tab sits untouched, online again when they come back, offline when they leave', async () => {
    await ana.page.getByRole('link', { name: 'General' }).click();
    const boInAnasList = ana.page
      .getByRole('complementary', { name: 'Members' })
      .locator('li.member', { hasText: boName });
    await boInAnasList.waitFor();
    await expect.poll(() => boInAnasList.getAttribute('data-status'), { timeout: 15_000 }).toBe('away');
    expect(await boInAnasList.getByText('(away)').count()).toBe(1);

    // Ana keeps her own tab busy, so she stays online for Bo.
    await ana.page.mouse.move(10, 10);
    await bo.page.mouse.move(200, 200);
    await bo.page.mouse.move(220, 240);
    await expect.poll(() => boInAnasList.getAttribute('data-status'), { timeout: 5_000 }).toBe('online');
    await bo.context.close();
    await expect.poll(() => boInAnasList.getAttribute('data-status'), { timeout: 15_000 }).toBe('offline');
  });
});
