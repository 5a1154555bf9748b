import { beforeAll, describe, expect, it } from 'vitest';
import {
  composer,
  connected,
  createRoomInUi,
  expectMessage,
  registerInUi,
  send,
  uniqueName,
} from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('rooms', () => {
  const env = serverAndBrowser();
  let owner: Person;
  let guestOfHonour: Person;
  const ownerName = uniqueName('owner');
  const invitedName = uniqueName('invited');
  const secret = uniqueName('secret');

  beforeAll(async () => {
    owner = await openPerson(env.browser, env.server.url);
    guestOfHonour = await openPerson(env.browser, env.server.url);
    await registerInUi(owner.page, ownerName);
    await registerInUi(guestOfHonour.page, invitedName);
  });

  it('creates a private room that only the people added to it can see', async () => {
    await owner.page.getByRole('button', { name: 'New room' }).click();
    const dialog = owner.page.getByRole('dialog', { name: 'Create a room' });
    await dialog.getByLabel('Name').fill(secret);
    await dialog.getByLabel(/^Private/).check();
    await dialog.getByRole('button', { name: 'Create room' }).click();
    await owner.page.getByRole('heading', { name: secret }).waitFor();

    await guestOfHonour.page.getByRole('button', { name: 'Refresh public rooms' }).click();
    await guestOfHonour.page.getByRole('button', { name: 'Join Random' }).waitFor();
    expect(await guestOfHonour.page.getByText(secret).count()).toBe(0);

    await owner.page.getByLabel('Add someone').fill(invitedName);
    await owner.page.getByRole('button', { name: 'Add', exact: true }).click();
    await owner.page.getByText(`${invitedName} was added.`).waitFor();

    // The person added sees the room appear without reloading, and can talk in it.
    await guestOfHonour.page.getByRole('link', { name: secret }).click();
    await send(guestOfHonour.page, 'Thanks for having me');
    await expectMessage(owner.page, 'Thanks for having me');
  });

  it('shows a new public room to the others at once, ready to join', async () => {
    const open = uniqueName('open');
    await createRoomInUi(owner.page, open);
    // No refresh: the server announces the room.
    await guestOfHonour.page.getByRole('button', { name: `Join ${open}` }).click();
    await guestOfHonour.page.getByRole('heading', { name: open }).waitFor();
    await send(guestOfHonour.page, 'found it without refreshing');
    await expectMessage(owner.page, 'found it without refreshing');
  });

  it('explains a room name that is taken next to the name field', async () => {
    await guestOfHonour.page.getByRole('button', { name: 'New room' }).click();
    const dialog = guestOfHonour.page.getByRole('dialog', { name: 'Create a room' });
    await dialog.getByLabel('Name').fill(secret);
    await dialog.getByRole('button', { name: 'Create room' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'A room with that name already exists.' }).waitFor();
    await guestOfHonour.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('lets the owner rename a room and clear its history, and tells the members', async () => {
    const renamed = uniqueName('renamed');
    await owner.page.getByRole('button', { name: 'Settings' }).click();
    const dialog = owner.page.getByRole('dialog', { name: /^Settings for/ });
    await dialog.getByLabel('Name').fill(renamed);
    await dialog.getByLabel('Description').fill('Only for the invited');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await guestOfHonour.page.getByRole('heading', { name: renamed }).waitFor();
    await guestOfHonour.page.getByText('Only for the invited').waitFor();
    // Members see no settings they could not use.
    expect(await guestOfHonour.page.getByRole('button', { name: 'Settings' }).count()).toBe(0);

    await owner.page.getByRole('button', { name: 'Settings' }).click();
    await dialog.getByRole('button', { name: 'Clear history…' }).click();
    await dialog.getByRole('button', { name: 'Yes, clear everything' }).click();
    const log = guestOfHonour.page.getByRole('log', { name: 'Messages' });
    await log.getByText('The history of this room was cleared.').waitFor();
    expect(await log.locator('li.message').count()).toBe(0);
  });

  it('lets the owner archive a room from its settings, read-only for everyone, and unarchive it', async () => {
    const dialog = owner.page.getByRole('dialog', { name: /^Settings for/ });
    await owner.page.getByRole('button', { name: 'Settings' }).click();
    await dialog.getByRole('button', { name: 'Archive room' }).click();
    await dialog.waitFor({ state: 'detached' });
    for (const page of [owner.page, guestOfHonour.page]) {
      await page.getByRole('status').filter({ hasText: 'This room is archived: it is read-only.' }).waitFor();
      expect(await composer(page).count()).toBe(0);
    }
    // Still so after a reload: the room list carries it.
    await guestOfHonour.page.reload();
    await guestOfHonour.page
      .getByRole('status')
      .filter({ hasText: 'This room is archived: it is read-only.' })
      .waitFor();

    await owner.page.getByRole('button', { name: 'Settings' }).click();
    await dialog.getByRole('button', { name: 'Unarchive room' }).click();
    await dialog.waitFor({ state: 'detached' });
    await send(guestOfHonour.page, 'open again');
    await expectMessage(owner.page, 'open again');
  });

  it('says when the network is gone and reconnects when it is back', async () => {
    await owner.context.setOffline(true);
    await owner.page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    await owner.context.setOffline(false);
    await connected(owner.page);
    await send(owner.page, 'back online');
    await expectMessage(guestOfHonour.page, 'back online');
  });
});
