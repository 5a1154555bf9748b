import { randomInt } from 'node:crypto';
import { limits } from '@parley/protocol';

const adjectives = [
  'amber',
  'brave',
  'calm',
  'clever',
  'cosy',
  'eager',
  'gentle',
  'happy',
  'jolly',
  'keen',
  'lucky',
  'merry',
  'noble',
  'quick',
  'quiet',
  'sunny',
  'swift',
  'witty',
];
const animals = [
  'badger',
  'crane',
  'dolphin',
  'falcon',
  'fox',
  'heron',
  'koala',
  'lynx',
  'otter',
  'owl',
  'panda',
  'puffin',
  'robin',
  'seal',
  'tiger',
  'wren',
  'yak',
  'zebra',
];

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;

/** "guest-brave-otter-417", or "guest-ana-4171" when the guest gave a nickname. */
export function guestName(nickname?: string): string {
  const slug = (nickname ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_.-]+/g, '')
    // "guest-" + slug + "-1234" must fit in a username.
    .slice(0, limits.usernameMax - 11);
  const base = slug ? `guest-${slug}` : `guest-${pick(adjectives)}-${pick(animals)}`;
  return `${base}-${randomInt(1000, 10_000)}`;
}
