import { describe, expect, it } from 'vitest';
import { createRoomInUi, expectMessage, joinRoomInUi, registerInUi, send, uniqueName } from './support/app';
import { openPerson } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('plain-text safety', () => {
  const env = serverAndBrowser();

  it('renders markup and javascript: links as inert text and only http(s) URLs as links', async () => {
    const mallory = await openPerson(env.browser, env.server.url);
    const victim = await openPerson(env.browser, env.server.url);
    const room = uniqueName('safe');
    await registerInUi(mallory.page, uniqueName('mallory'));
    await registerInUi(victim.page, uniqueName('victim'));
    await createRoomInUi(mallory.page, room);
    await joinRoomInUi(victim.page, room);

    const attacks = [
      '<img src=x onerror=alert(1)>',
      'javascript:alert(2)',
      '[click](javascript:alert(3)) <a href="javascript:alert(4)">here</a>',
      '<script>alert(5)</script>',
      'see https://example.org/docs?a=1&b=2.',
    ];
    for (const text of attacks) await send(mallory.page, text);
    for (const page of [victim.page, mallory.page]) {
      await expectMessage(page, 'https://example.org/docs');
      for (const text of attacks.slice(0, 4)) await expectMessage(page, text);

      const log = page.getByRole('log', { name: 'Messages' });
      expect(await log.locator('img').count()).toBe(0);
      expect(await log.locator('script').count()).toBe(0);
      expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
      const links = log.locator('a');
      expect(await links.count()).toBe(1);
      expect(await links.getAttribute('href')).toBe('https://example.org/docs?a=1&b=2');
      expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await links.getAttribute('target')).toBe('_blank');
    }
    // Clicking the inert text runs nothing either.
    await victim.page.getByText('javascript:alert(2)').click();
    expect(victim.dialogs).toEqual([]);
    expect(mallory.dialogs).toEqual([]);
  });
});
