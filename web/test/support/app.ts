import { expect } from 'vitest';
import type { Page } from 'playwright-core';

let counter = 0;
/** Usernames unique across a run, so tests never collide on "username taken". */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36).slice(-4)}${counter}`;
}

export const password = 'correct horse battery staple';

export async function registerInUi(page: Page, username: string): Promise<void> {
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page
    .getByRole('form', { name: 'Create account' })
    .getByRole('button', { name: 'Create account' })
    .click();
  await connected(page);
}

export async function connected(page: Page): Promise<void> {
  await page.locator('[data-connection="connected"]').first().waitFor();
}

export async function createRoomInUi(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New room' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.getByRole('heading', { name: name }).waitFor();
}

export async function joinRoomInUi(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Refresh public rooms' }).click();
  await page.getByRole('button', { name: `Join ${name}` }).click();
  await page.getByRole('heading', { name: name }).waitFor();
}

export function composer(page: Page) {
  return page.getByRole('textbox', { name: /^Message / });
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** The confirmed messages in the open room (pending ones carry no seq yet). */
export function messages(page: Page) {
  return page.getByRole('log', { name: 'Messages' }).locator('li.message[data-seq]');
}

export async function expectMessage(page: Page, text: string): Promise<void> {
  await messages(page).filter({ hasText: text }).first().waitFor();
}

export async function messageCount(page: Page, text: string): Promise<number> {
  return messages(page).filter({ hasText: text }).count();
}

export async function tokenOf(page: Page): Promise<string> {
  const token = await page.evaluate(
    () => JSON.parse(localStorage.getItem('parley.session') ?? 'null')?.token,
  );
  expect(typeof token).toBe('string');
  return token as string;
}

/** The id of the room open in the page, read from its address (`#/rooms/ID…`). */
export async function openRoomId(page: Page): Promise<string> {
  const id = await page.evaluate(() => /^#\/rooms\/([^/]+)/.exec(location.hash)?.[1]);
  expect(typeof id).toBe('string');
  return decodeURIComponent(id as string);
}
