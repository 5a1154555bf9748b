import { beforeAll, describe, expect, it } from 'vitest';
import {
  composer,
  createRoomInUi,
  expectMessage,
  joinRoomInUi,
  messages,
  registerInUi,
  send,
  uniqueName,
} from './support/app';
import { openPerson, type Person } from './support/browser';
import { serverAndBrowser } from './support/fixture';

describe('room moderation', () => {
  const env = serverAndBrowser();
  let owner: Person;
  let helper: Person;
  let pest: Person;
  const ownerName = uniqueName('owner');
  const helperName = uniqueName('helper');
  const pestName = uniqueName('pest');
  const room = uniqueName('lounge');

  beforeAll(async () => {
    // An admin exists already (the first account), so the owner below moderates by room role alone.
    const admin = await openPerson(env.browser, env.server.url);
    await registerInUi(admin.page, uniqueName('admin'));
    await admin.context.close();
    owner = await openPerson(env.browser, env.server.url);
    helper = await openPerson(env.browser, env.server.url);
    pest = await openPerson(env.browser, env.server.url);
    await registerInUi(owner.page, ownerName);
    await registerInUi(helper.page, helperName);
    await registerInUi(pest.page, pestName);
    await createRoomInUi(owner.page, room);
    await joinRoomInUi(helper.page, room);
    await joinRoomInUi(pest.page, room);
  });

  const memberRow = (person: Person, name: string) =>
    person.page
      .getByRole('complementary', { name: 'Members' })
      .getByRole('listitem')
      .filter({ hasText: name });
  async function memberAction(person: Person, name: string, action: string) {
    await memberRow(person, name).waitFor();
    await person.page.getByRole('button', { name: `Actions for ${name}` }).click();
    await person.page
      .getByRole('list', { name: `Actions for ${name}` })
      .getByRole('button', { name: action })
      .click();
  }

  it('shows role badges, and the owner makes a moderator from the member menu', async () => {
    await memberRow(pest, ownerName).getByText('owner', { exact: true }).waitFor();
    // A plain member is offered nothing but blocking.
    await pest.page.getByRole('button', { name: `Actions for ${helperName}` }).click();
    const menu = pest.page.getByRole('list', { name: `Actions for ${helperName}` });
    expect(await menu.getByRole('button').allTextContents()).toEqual(['Block']);
    await pest.page.keyboard.press('Escape');

    await memberAction(owner, helperName, 'Make moderator');
    await memberRow(pest, helperName).getByText('mod', { exact: true }).waitFor();
  });

  it('collapses the messages of someone blocked, and shows them again once unblocked', async () => {
    await send(pest.page, 'buy cheap watches');
    await expectMessage(helper.page, 'buy cheap watches');
    await memberAction(helper, pestName, 'Block');
    const row = messages(helper.page).filter({ hasText: `A message from ${pestName}, whom you blocked.` });
    await row.waitFor();
    expect(await messages(helper.page).filter({ hasText: 'buy cheap watches' }).count()).toBe(0);
    // Unblocked from the person's card, opened from their name on the collapsed message.
    await row.getByRole('button', { name: pestName, exact: true }).click();
    const card = helper.page.getByRole('dialog', { name: pestName });
    // Opened in a room they are in, the card carries the room's member menu, blocking included.
    await card.getByRole('button', { name: `Actions for ${pestName}` }).click();
    await card
      .getByRole('list', { name: `Actions for ${pestName}` })
      .getByRole('button', { name: 'Unblock' })
      .click();
    await card.getByRole('button', { name: 'Close' }).click();
    await expectMessage(helper.page, 'buy cheap watches');
  });

  it('reports a message to the moderators, who work through the queue', async () => {
    const message = messages(helper.page).filter({ hasText: 'buy cheap watches' });
    await message.hover();
    await message.getByRole('button', { name: `Report message from ${pestName} to moderators` }).click();
    const dialog = helper.page.getByRole('dialog', { name: 'Report to moderators' });
    await dialog.getByLabel('What is wrong with it?').fill('spam');
    await dialog.getByRole('button', { name: 'Report' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Reported.' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await owner.page.getByRole('button', { name: `Account menu for ${ownerName}` }).click();
    await owner.page.getByRole('button', { name: /Reported messages/ }).click();
    const report = owner.page.getByRole('listitem', { name: `Report on ${pestName}'s message` });
    await report.getByText('buy cheap watches').waitFor();
    await report.getByText(/Reported by .*: “spam”/).waitFor();
    await report.getByRole('button', { name: 'Resolve' }).click();
    await report.waitFor({ state: 'detached' });
    await owner.page.getByRole('link', { name: 'Resolved' }).click();
    await owner.page
      .getByRole('listitem', { name: `Report on ${pestName}'s message` })
      .getByText(/Resolved by/)
      .waitFor();
    await owner.page.goBack();
    await owner.page.getByText('Nothing to look at: no open reports.').waitFor();
    await owner.page.getByRole('link', { name: room }).click();
  });

  it('mutes a member for a time from their card: their composer says so, until when', async () => {
    // The card opened from the member list carries the same menu as the list.
    await memberRow(owner, pestName)
      .getByRole('button', { name: new RegExp(`^${pestName} \\(`) })
      .click();
    const card = owner.page.getByRole('dialog', { name: pestName });
    await card.getByRole('button', { name: `Actions for ${pestName}` }).click();
    await card
      .getByRole('list', { name: `Actions for ${pestName}` })
      .getByRole('button', { name: 'Mute…' })
      .click();
    const dialog = owner.page.getByRole('dialog', { name: `Mute ${pestName}` });
    await dialog.getByLabel('For how long').selectOption({ label: '10 minutes' });
    await dialog.getByRole('button', { name: 'Mute' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByRole('button', { name: 'Close' }).click();
    await memberRow(owner, pestName).getByText('muted', { exact: true }).waitFor();

    const notice = pest.page.getByRole('status').filter({ hasText: 'You are muted in this room until' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('you can read but not send');
    expect(await composer(pest.page).count()).toBe(0);

    await memberAction(owner, pestName, 'Unmute');
    await composer(pest.page).waitFor();
  });

  it('bans from the member menu with a reason and an end: the banned person’s composer says so', async () => {
    await memberAction(owner, pestName, 'Ban…');
    const dialog = owner.page.getByRole('dialog', { name: `Ban ${pestName}` });
    await dialog.getByLabel('For how long').selectOption({ label: '1 day' });
    await dialog.getByLabel('Reason (shown to them)').fill('selling watches');
    await dialog.getByRole('button', { name: 'Ban' }).click();
    await memberRow(owner, pestName).waitFor({ state: 'detached' });

    const notice = pest.page.getByRole('status').filter({ hasText: 'You are banned from this room until' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Reason: selling watches');
    expect(await composer(pest.page).count()).toBe(0);
    expect(await pest.page.getByRole('button', { name: 'Join room' }).count()).toBe(0);

    // Still so after a reload: the room list carries the ban.
    await pest.page.reload();
    await pest.page.getByRole('status').filter({ hasText: 'You are banned from this room until' }).waitFor();
  });

  it('lists the bans in the member panel, until when, by whom and why, and lifting one lets them back', async () => {
    const panel = owner.page.getByRole('complementary', { name: 'Members' });
    await panel.getByRole('button', { name: 'Banned people' }).click();
    const ban = panel.getByRole('listitem', { name: `Ban on ${pestName}` });
    await ban.getByText('Reason: selling watches').waitFor();
    await ban.getByText(new RegExp(`^Banned until .* by ${ownerName}$`)).waitFor();
    expect(await panel.getByRole('listitem', { name: /^Ban on / }).count()).toBe(1);

    await ban.getByRole('button', { name: `Lift the ban on ${pestName}` }).click();
    await ban.waitFor({ state: 'detached' });
    await panel.getByText('Nobody is banned from this room.').waitFor();

    // The person is told at once, and may join again.
    await pest.page.getByRole('button', { name: 'Join room' }).click();
    await composer(pest.page).waitFor();
    await memberRow(owner, pestName).waitFor();
  });
});
