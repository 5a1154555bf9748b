import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composer, connected, expectMessage, password } from './support/app';
import { openPerson } from './support/browser';
import type { RunningServer } from './support/server';
import { serverAndBrowser } from './support/fixture';

// The committed pictures (README) change only on request: `UPDATE_SCREENSHOTS=1 npm test` (or this file
// alone) rewrites them. Otherwise each run writes to the ignored test-results folder and compares its
// pictures with the committed ones by size, so `npm test` leaves a clone as clean as it found it.
const committedDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
const updating = process.env.UPDATE_SCREENSHOTS === '1';
const screenshotDir = updating
  ? committedDir
  : join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');

const digests = () =>
  Object.fromEntries(
    readdirSync(committedDir)
      .filter((name) => name.endsWith('.png'))
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(join(committedDir, name)))
          .digest('hex'),
      ]),
  );

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1'), file).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

async function call<T>(server: RunningServer, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(server.url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

async function signUp(server: RunningServer, username: string) {
  return call<{ token: string; user: { id: string } }>(server, 'POST', '/api/register', undefined, {
    username,
    password,
  });
}

async function signInInUi(page: Page, username: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
  await connected(page);
}

describe('the main screen', () => {
  const env = serverAndBrowser();
  let anaSocket: Socket;
  let roomId: string;
  // Plain names (this file's server is fresh) so the pictures read like a real team's chat.
  const viewer = 'maya';

  const committed = digests();

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    // A believable conversation, written through the API so the pictures show a lived-in room.
    const me = await signUp(env.server, viewer);
    const [ana, ben, chloe] = await Promise.all(
      ['ana', 'ben', 'chloe'].map((name) => signUp(env.server, name)),
    );
    const { room } = await call<{ room: { id: string } }>(env.server, 'POST', '/api/chat/rooms', ana!.token, {
      name: 'design-review',
      description: 'Feedback on mockups, flows and copy',
    });
    for (const person of [me, ben!, chloe!])
      await call(env.server, 'POST', `/api/chat/rooms/${room.id}/join`, person.token);
    await call(env.server, 'POST', '/api/chat/rooms', ben!.token, { name: 'watercooler' });
    await call(env.server, 'POST', '/api/chat/rooms', chloe!.token, { name: 'release-planning' });
    const say = (who: { token: string }, text: string) =>
      call(env.server, 'POST', `/api/chat/rooms/${room.id}/messages`, who.token, { text });
    await say(ana!, 'Morning! The new onboarding mockups are up: https://example.org/mockups/onboarding');
    await say(ana!, 'Main question: does the three-step flow feel too long on phones?');
    await say(ben!, 'Looked at them on my phone — step two could merge into step one.');
    await say(me, 'Agreed. The progress dots also help a lot 👍');
    await say(me, 'Can we try it with the real copy before Thursday?');
    await say(chloe!, 'I can have copy ready tomorrow.\nWill share a doc in here.');
    await say(ben!, '🎉');
    await call(env.server, 'POST', '/api/dms', me.token, { userId: ana!.user.id });
    // Ana stays online, so the pictures show presence and someone typing.
    roomId = room.id;
    anaSocket = io(env.server.url, { auth: { token: ana!.token }, transports: ['websocket'] });
    await new Promise((resolve) => anaSocket.once('connect', () => resolve(undefined)));
  });

  afterAll(async () => {
    anaSocket?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const [device, width, height] of [
      ['desktop', 1280, 800],
      ['phone', 360, 740],
    ] as const) {
      it(`is pictured in the ${theme} theme at ${device} width`, async () => {
        const person = await openPerson(env.browser, env.server.url, { width, height, colorScheme: theme });
        await signInInUi(person.page, viewer);
        if (device === 'phone') await person.page.getByRole('button', { name: 'Open the room list' }).click();
        await person.page.getByRole('link', { name: 'design-review' }).click();
        await expectMessage(person.page, 'Will share a doc in here.');
        await composer(person.page).fill('Sounds great, thanks Chloe!');
        // Stop, then start: a server may pass on only changes of typing state.
        anaSocket.emit('typing', { roomId, typing: false });
        anaSocket.emit('typing', { roomId, typing: true });
        await person.page.getByText('ana is typing…').waitFor();
        const background = await person.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background === 'rgb(255, 255, 255)').toBe(theme === 'light');
        await person.page.mouse.move(width - 1, height / 2);
        await person.page.screenshot({ path: join(screenshotDir, `main-${device}-${theme}.png`) });
        if (device === 'phone') {
          await person.page.getByRole('button', { name: 'Open the room list' }).click();
          await person.page
            .getByRole('navigation', { name: 'Rooms and people' })
            .getByText('watercooler')
            .waitFor();
          await person.page.waitForFunction(() => {
            const nav = document.querySelector('.sidebar');
            return nav && getComputedStyle(nav).transform === 'none';
          });
          await person.page.screenshot({ path: join(screenshotDir, `drawer-phone-${theme}.png`) });
        }
        await person.context.close();
      });
    }
  }

  it('remembers a theme picked with the toggle over the system setting', async () => {
    const person = await openPerson(env.browser, env.server.url, { colorScheme: 'light' });
    await signInInUi(person.page, viewer);
    await person.page.getByRole('button', { name: `Account menu for ${viewer}` }).click();
    await person.page.getByRole('button', { name: /Dark theme/ }).click();
    const dark = await person.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe('rgb(255, 255, 255)');
    await person.page.reload();
    await connected(person.page);
    expect(await person.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await person.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(dark);
    await person.context.close();
  });

  it('pictures the sign-in screen at phone width', async () => {
    const person = await openPerson(env.browser, env.server.url, { width: 360, height: 740 });
    await person.page.getByRole('button', { name: 'Continue as guest' }).waitFor();
    await person.page.screenshot({ path: join(screenshotDir, 'sign-in-phone-light.png') });
    await person.context.close();
  });

  it('leaves the committed pictures alone, and pictures the same screens at the same sizes', () => {
    if (updating) return;
    expect(digests()).toEqual(committed);
    for (const name of Object.keys(committed))
      expect(pngSize(join(screenshotDir, name)), name).toEqual(pngSize(join(committedDir, name)));
  });
});
