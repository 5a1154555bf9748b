import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { composer, createRoomInUi, joinRoomInUi, messages, registerInUi, uniqueName } from './support/app';
import { openPerson } from './support/browser';
import { serverAndBrowser } from './support/fixture';

const MiB = 1024 * 1024;

/** Pastes a PNG drawn in the page into the composer, as a screenshot copied to the clipboard arrives. */
async function pasteImage(page: Page, name: string): Promise<void> {
  await composer(page).evaluate(async (textarea, fileName) => {
    const canvas = new OffscreenCanvas(120, 80);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    context.fillStyle = '#3070c0';
    context.fillRect(0, 0, 120, 80);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const data = new DataTransfer();
    data.items.add(new File([blob], fileName, { type: 'image/png' }));
    textarea.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, name);
}

function attach(page: Page, name: string, mimeType: string, body: string | Buffer) {
  return page
    .getByTestId('attach-input')
    .setInputFiles({ name, mimeType, buffer: typeof body === 'string' ? Buffer.from(body) : body });
}

const tray = (page: Page) => page.getByRole('list', { name: 'Files to send' });

/** The file's tray entry once it has uploaded: its size shows where the progress bar was. */
async function uploadedInTray(page: Page, name: string): Promise<void> {
  const entry = tray(page).locator('li.attachment.ready').filter({ hasText: name });
  await entry.waitFor();
}

describe('files in the web client', () => {
  const env = serverAndBrowser({
    env: { UPLOAD_MAX_BYTES: String(2 * MiB), UPLOAD_QUOTA_BYTES: String(2.5 * MiB) },
  });

  it('pastes an image and drops a file, shows previews, a lightbox and a card to another member', async () => {
    const ana = await openPerson(env.browser, env.server.url);
    const ben = await openPerson(env.browser, env.server.url);
    const room = uniqueName('files');
    await registerInUi(ana.page, uniqueName('ana'));
    await registerInUi(ben.page, uniqueName('ben'));
    await createRoomInUi(ana.page, room);
    await joinRoomInUi(ben.page, room);

    await pasteImage(ana.page, 'screenshot.png');
    await uploadedInTray(ana.page, 'screenshot.png');
    // The tray shows the picture itself while it waits to be sent.
    expect(await tray(ana.page).locator('img.attachment-thumb').count()).toBe(1);

    // Dragging files over the room says where they go; dropping them adds them to the tray.
    const dropped = await ana.page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['quarterly numbers\n'], 'notes.txt', { type: 'text/plain' }));
      data.items.add(new File([new Uint8Array(20)], 'agenda.bin', { type: 'application/octet-stream' }));
      return data;
    });
    await ana.page.dispatchEvent('.room-main', 'dragenter', { dataTransfer: dropped });
    await ana.page.getByText(`Drop files to share them in #${room}`).waitFor();
    await ana.page.dispatchEvent('.room-main', 'dragover', { dataTransfer: dropped });
    await ana.page.dispatchEvent('.room-main', 'drop', { dataTransfer: dropped });
    await uploadedInTray(ana.page, 'notes.txt');
    await uploadedInTray(ana.page, 'agenda.bin');
    expect(await ana.page.getByText(/Drop files to share them/).count()).toBe(0);

    await composer(ana.page).fill('the numbers');
    await composer(ana.page).press('Enter');
    await tray(ana.page).waitFor({ state: 'detached' });

    const message = messages(ben.page).filter({ hasText: 'the numbers' });
    await message.waitFor();
    const preview = message.getByRole('button', { name: 'Open image screenshot.png' });
    const thumb = preview.locator('img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    // File cards: an icon, the name, the kind and the size.
    const card = message.locator('a.file-card').filter({ hasText: 'notes.txt' });
    expect(await card.innerText()).toMatch(/notes\.txt\s+Text · 18 B/);
    expect(await card.locator('svg.file-icon').count()).toBe(1);
    expect(await message.locator('a.file-card').filter({ hasText: 'agenda.bin' }).innerText()).toMatch(
      /File · 20 B/,
    );
    // Its link (signed for this viewer, absolute as the browser resolves it) downloads the file.
    const download = await card.evaluate((a: HTMLAnchorElement) => a.href);
    expect(download).toContain('?g=');
    const fetched = await ben.page.request.get(download);
    expect(await fetched.text()).toBe('quarterly numbers\n');

    await preview.click();
    const lightbox = ben.page.getByRole('dialog', { name: 'Image screenshot.png' });
    await lightbox.waitFor();
    const full = lightbox.getByRole('img', { name: 'screenshot.png' });
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
    expect(await lightbox.innerText()).toContain('120 × 80');
    await ben.page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });

    // A message of files alone: no text needed.
    await attach(ana.page, 'solo.txt', 'text/plain', 'just a file');
    await uploadedInTray(ana.page, 'solo.txt');
    await ana.page.getByRole('button', { name: 'Send' }).click();
    await messages(ben.page).locator('a.file-card').filter({ hasText: 'solo.txt' }).waitFor();
    expect(ana.dialogs).toEqual([]);
    expect(ben.dialogs).toEqual([]);
  });

  it('shows each upload’s progress with a cancel, and says when a file is too big or over quota', async () => {
    const ana = await openPerson(env.browser, env.server.url);
    await registerInUi(ana.page, uniqueName('ana'));
    await createRoomInUi(ana.page, uniqueName('big'));

    // A slow connection, so the upload is seen under way: 64 KB/s up.
    const cdp = await ana.context.newCDPSession(ana.page);
    await cdp.send('Network.enable');
    const throttle = (uploadThroughput: number) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput,
      });
    await throttle(64 * 1024);
    await attach(ana.page, 'slow.bin', 'application/octet-stream', Buffer.alloc(1.5 * MiB, 7));
    const progress = ana.page.getByRole('progressbar', { name: 'Uploading slow.bin' });
    await progress.waitFor();
    await expect.poll(() => progress.evaluate((bar: HTMLProgressElement) => bar.value)).toBeGreaterThan(0);
    expect(await progress.evaluate((bar: HTMLProgressElement) => bar.max)).toBe(1.5 * MiB);
    // A message waits for its files: sending now says so, and sends nothing.
    await composer(ana.page).fill('not yet');
    await composer(ana.page).press('Enter');
    await ana.page
      .getByRole('alert')
      .filter({ hasText: 'Wait for the uploads to finish, or cancel them.' })
      .waitFor();
    expect(await composer(ana.page).inputValue()).toBe('not yet');
    await ana.page.getByRole('button', { name: 'Cancel upload of slow.bin' }).click();
    await progress.waitFor({ state: 'detached' });
    expect(await tray(ana.page).count()).toBe(0);
    await throttle(-1);

    // Over the server's limit: refused before a byte is sent, in words.
    await attach(ana.page, 'huge.bin', 'application/octet-stream', Buffer.alloc(3 * MiB, 1));
    await tray(ana.page)
      .getByRole('alert')
      .filter({ hasText: 'huge.bin is too big: 3 MB, the limit is 2 MB.' })
      .waitFor();
    await ana.page.getByRole('button', { name: 'Remove huge.bin' }).click();

    // The cancelled upload took none of the quota: 1.5 MB fits in 2.5 MB, another 1.5 MB does not.
    await attach(ana.page, 'first.bin', 'application/octet-stream', Buffer.alloc(1.5 * MiB, 2));
    await uploadedInTray(ana.page, 'first.bin');
    await attach(ana.page, 'second.bin', 'application/octet-stream', Buffer.alloc(1.5 * MiB, 3));
    const refusal = tray(ana.page).getByRole('alert').filter({ hasText: 'second.bin:' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/quota/i);
    // The refused file does not go with the message; the one that uploaded does.
    await ana.page.getByRole('button', { name: 'Send' }).click();
    const sent = messages(ana.page).locator('a.file-card');
    await sent.filter({ hasText: 'first.bin' }).waitFor();
    expect(await sent.count()).toBe(1);
  });

  it('never runs the script in an uploaded SVG or HTML file, even opened on its own', async () => {
    const mallory = await openPerson(env.browser, env.server.url);
    const victim = await openPerson(env.browser, env.server.url);
    const room = uniqueName('evil');
    await registerInUi(mallory.page, uniqueName('mallory'));
    await registerInUi(victim.page, uniqueName('victim'));
    await createRoomInUi(mallory.page, room);
    await joinRoomInUi(victim.page, room);

    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>' +
      '<rect width="10" height="10"/></svg>';
    const html =
      '<!doctype html><body onload="alert(3)"><script>alert(4)</script><img src=x onerror=alert(5)>';
    await attach(mallory.page, 'cat.svg', 'image/svg+xml', svg);
    await attach(mallory.page, 'page.html', 'text/html', html);
    await uploadedInTray(mallory.page, 'cat.svg');
    await uploadedInTray(mallory.page, 'page.html');
    await composer(mallory.page).fill('look at these');
    await composer(mallory.page).press('Enter');

    const message = messages(victim.page).filter({ hasText: 'look at these' });
    await message.waitFor();
    for (const name of ['cat.svg', 'page.html']) {
      const card = message.locator('a.file-card').filter({ hasText: name });
      await expect.poll(() => card.getAttribute('href')).toContain('?g=');
      const href = await card.evaluate((a: HTMLAnchorElement) => a.href);
      // Opened in a tab of its own, as a person would open a copied link: it downloads, nothing runs.
      const tab = await victim.context.newPage();
      const dialogs: string[] = [];
      tab.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const downloaded = tab.waitForEvent('download');
      await tab.goto(href).catch(() => {});
      expect((await downloaded).suggestedFilename()).toBe(name);
      // Shown inside the app's page too (a frame), it stays inert.
      await victim.page.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
      }, href);
      await victim.page.waitForTimeout(500);
      expect(dialogs).toEqual([]);
      await tab.close();
      const response = await victim.page.request.get(href);
      expect(response.headers()['content-disposition']).toMatch(/^attachment/);
      expect(response.headers()['content-security-policy']).toContain('sandbox');
      expect(response.headers()['x-content-type-options']).toBe('nosniff');
      expect(await response.text()).toBe(name === 'cat.svg' ? svg : html);
    }
    expect(victim.dialogs).toEqual([]);
    expect(mallory.dialogs).toEqual([]);
  });
});

describe('file links in a tab left open', () => {
  // Grants of 2 to 4 seconds, so a link signed when the message was shown expires within the test.
  const env = serverAndBrowser({ env: { FILE_LINK_TTL_SECONDS: '2' } });

  it('signs a file card’s link again when it is clicked after its grant expired', async () => {
    const ana = await openPerson(env.browser, env.server.url);
    const ben = await openPerson(env.browser, env.server.url);
    const room = uniqueName('later');
    await registerInUi(ana.page, uniqueName('ana'));
    await registerInUi(ben.page, uniqueName('ben'));
    await createRoomInUi(ana.page, room);
    await joinRoomInUi(ben.page, room);
    await attach(ana.page, 'later.txt', 'text/plain', 'read me later');
    await uploadedInTray(ana.page, 'later.txt');
    await ana.page.getByRole('button', { name: 'Send' }).click();

    const card = messages(ben.page).locator('a.file-card').filter({ hasText: 'later.txt' });
    await expect.poll(() => card.getAttribute('href')).toContain('?g=');
    const first = await card.evaluate((a: HTMLAnchorElement) => a.href);
    await ben.page.waitForTimeout(4_500);
    const stale = await ben.page.request.get(first);
    expect(stale.status()).toBe(403);
    expect((await stale.json()).code).toBe('file_link_expired');

    const download = ben.page.waitForEvent('download');
    await card.click();
    const file = await download;
    expect(await file.failure()).toBeNull();
    expect(file.url()).not.toBe(first);
    expect(await readFile(await file.path())).toEqual(Buffer.from('read me later'));
  });
});
