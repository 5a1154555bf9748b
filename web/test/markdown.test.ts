import { beforeAll, describe, expect, it } from 'vitest';
import { createRoomInUi, expectMessage, joinRoomInUi, registerInUi, send, uniqueName } from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

const fence = '```';

describe('Markdown in messages', () => {
  const env = serverAndBrowser();
  let mallory: Person;
  let reader: Person;
  const readerName = uniqueName('reader');

  beforeAll(async () => {
    mallory = await openPerson(env.browser, env.server.url);
    reader = await openPerson(env.browser, env.server.url);
    const room = uniqueName('md');
    await registerInUi(mallory.page, uniqueName('mallory'));
    await registerInUi(reader.page, readerName);
    await createRoomInUi(mallory.page, room);
    await joinRoomInUi(reader.page, room);
  });

  const lastText = () =>
    reader.page.getByRole('log', { name: 'Messages' }).locator('li.message[data-seq] .message-text').last();

  it('renders emphasis, strike, code, code blocks, quotes, lists and links as elements', async () => {
    await send(
      mallory.page,
      [
        `**bold** *italic* ~~gone~~ \`x < y\` [docs](https://example.org/docs) @${readerName}`,
        '',
        '> quoted',
        '',
        '- one',
        '- two',
        '',
        '1. first',
        '',
        `${fence}js`,
        'const a = "<b>";',
        fence,
      ].join('\n'),
    );
    await expectMessage(reader.page, 'quoted');
    const text = lastText();
    expect(await text.locator('strong').textContent()).toBe('bold');
    expect(await text.locator('em').textContent()).toBe('italic');
    expect(await text.locator('del').textContent()).toBe('gone');
    expect(await text.locator('p code').textContent()).toBe('x < y');
    expect(await text.locator('blockquote').textContent()).toContain('quoted');
    expect(await text.locator('ul > li').allTextContents()).toEqual(['one', 'two']);
    expect(await text.locator('ol > li').allTextContents()).toEqual(['first']);
    expect(await text.locator('pre code').textContent()).toBe('const a = "<b>";\n');
    const link = text.getByRole('link', { name: 'docs' });
    expect(await link.getAttribute('href')).toBe('https://example.org/docs');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    // The attention feature's marks still find the reader's name.
    expect(await text.locator('.mention.self').textContent()).toBe(`@${readerName}`);
  });

  it('folds a long message behind "Show more"', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
    await send(mallory.page, long);
    await expectMessage(reader.page, 'line 40');
    const row = reader.page.locator('li.message[data-seq]', { hasText: 'line 40' });
    const more = row.getByRole('button', { name: 'Show more' });
    await more.waitFor();
    const folded = (await row.locator('.message-text').boundingBox())!.height;
    await more.click();
    await row.getByRole('button', { name: 'Show less' }).waitFor();
    expect((await row.locator('.message-text').boundingBox())!.height).toBeGreaterThan(folded * 1.5);
  });

  it('never runs a script from markup, links or code blocks, and links only http(s) and mailto', async () => {
    const corpus = [
      '<img src=x onerror=alert(1)>',
      '<svg/onload=alert(2)>',
      '[click](javascript:alert(3))',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)',
      '<javascript:alert(5)>',
      '[vb](vbscript:msgbox(6)) [rel](/api/me) [frag](#/rooms/x)',
      '![img](https://example.org/x.png" onerror="alert(7))',
      `${fence}html\n<script>alert(8)</script>\n<img src=x onerror=alert(9)>\n${fence}`,
      '`<iframe src="javascript:alert(10)">`',
      '<a href="javascript:alert(11)">a</a> <b onmouseover=alert(12)>b</b>',
      '[ok](https://example.org/safe) and [mail](mailto:someone@example.org)',
      '[x](JaVaScRiPt:alert(13)) [y](java\tscript:alert(14)) [z](&#106;avascript:alert(15))',
      '<details open ontoggle=alert(16)>',
      '[![a](x)](javascript:alert(17))',
    ];
    for (const text of corpus) await send(mallory.page, text);
    await expectMessage(reader.page, 'ontoggle');

    for (const page of [reader.page, mallory.page]) {
      const log = page.getByRole('log', { name: 'Messages' });
      await log.getByText('<script>alert(8)</script>', { exact: false }).waitFor();
      expect(await log.locator('script, img, svg:not([aria-hidden]), iframe, details, b').count()).toBe(0);
      const onAttributes = await log.evaluate((root) =>
        [...root.querySelectorAll('*')].flatMap((el) =>
          [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`),
        ),
      );
      expect(onAttributes).toEqual([]);
      const hrefs = await log
        .locator('a[href]')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(hrefs.filter((h) => !/^(https?:|mailto:|#\/rooms\/)/.test(h ?? ''))).toEqual([]);
      expect(hrefs).toContain('https://example.org/safe');
      expect(hrefs).toContain('mailto:someone@example.org');
      // The unsafe links stay as the characters typed.
      await log.getByText('[click](javascript:alert(3))').waitFor();
    }
    await reader.page.getByText('[click](javascript:alert(3))').click();
    await reader.page.getByText('<img src=x onerror=alert(1)>').click();
    expect(reader.dialogs).toEqual([]);
    expect(mallory.dialogs).toEqual([]);
  });
});
