import { beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  createRoomInUi,
  expectMessage,
  messages,
  openRoomId,
  registerInUi,
  send,
  uniqueName,
} from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('addresses in the web client', () => {
  const env = serverAndBrowser();
  let me: Person;
  const other = uniqueName('corner');

  beforeAll(async () => {
    me = await openPerson(env.browser, env.server.url);
    await registerInUi(me.page, uniqueName('walker'));
    await createRoomInUi(me.page, other);
  });

  const heading = (name: string) => me.page.getByRole('heading', { name, exact: true });

  it('gives each room an address that Back and Forward move between', async () => {
    const otherId = await openRoomId(me.page);
    await me.page.getByRole('link', { name: 'General' }).click();
    await heading('General').waitFor();
    const generalId = await openRoomId(me.page);
    expect(generalId).not.toBe(otherId);
    expect(new URL(me.page.url()).hash).toBe(`#/rooms/${generalId}`);

    await me.page.goBack();
    await heading(other).waitFor();
    expect(await openRoomId(me.page)).toBe(otherId);
    await me.page.goForward();
    await heading('General').waitFor();
    expect(await openRoomId(me.page)).toBe(generalId);
  });

  it('opens the room an address names when the page is loaded at it', async () => {
    await me.page.getByRole('link', { name: other }).click();
    await heading(other).waitFor();
    const url = me.page.url();
    const fresh = await me.context.newPage();
    await fresh.goto(url);
    await connected(fresh);
    await fresh.getByRole('heading', { name: other, exact: true }).waitFor();
    await fresh.close();
  });

  it('still opens rooms from links made before addresses had paths (#room=ID)', async () => {
    const otherId = await openRoomId(me.page);
    const fresh = await me.context.newPage();
    await fresh.goto(`${env.server.url}/#room=${encodeURIComponent(otherId)}`);
    await connected(fresh);
    await fresh.getByRole('heading', { name: other, exact: true }).waitFor();
    expect(new URL(fresh.url()).hash).toBe(`#/rooms/${otherId}`);
    await fresh.close();
  });

  it('opens a link to a message with that message marked', async () => {
    await me.page.getByRole('link', { name: 'General' }).click();
    for (const text of ['first point', 'the point to link', 'last point']) await send(me.page, text);
    await expectMessage(me.page, 'last point');
    const target = messages(me.page).filter({ hasText: 'the point to link' });
    const seq = await target.getAttribute('data-seq');
    const roomId = await openRoomId(me.page);

    const fresh = await me.context.newPage();
    await fresh.goto(`${env.server.url}/#/rooms/${roomId}/messages/${seq}`);
    await connected(fresh);
    const marked = messages(fresh).and(fresh.locator('.highlighted'));
    await marked.waitFor();
    expect(await marked.textContent()).toContain('the point to link');
    await fresh.close();
  });

  it('shows the welcome page at an address that names no room', async () => {
    await me.page.goto(`${env.server.url}/#/`);
    await connected(me.page);
    await heading('Welcome to Parley').waitFor();
  });
});
