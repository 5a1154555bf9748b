import type { Room, SearchReply } from '@parley/protocol';
import { api } from '../harness.js';

export async function searchFor(url: string, token: string, params: Record<string, string>) {
  return api<SearchReply & { code?: string }>(url, 'GET', `/api/search?${new URLSearchParams(params)}`, {
    token,
  });
}

/** The texts a search finds, newest first; fails the test on an error status. */
export async function found(url: string, token: string, q: string, extra: Record<string, string> = {}) {
  const reply = await searchFor(url, token, { q, ...extra });
  if (reply.status !== 200) throw new Error(`search "${q}": ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.results.map((result) => result.message.text);
}

export async function makeRoom(url: string, token: string, visibility: 'public' | 'private' = 'public') {
  const name = `Room ${Math.random().toString(36).slice(2, 10)}`;
  const { body } = await api<{ room: Room }>(url, 'POST', '/api/chat/rooms', {
    token,
    body: { name, visibility },
  });
  return body.room;
}

export async function say(url: string, token: string, roomId: string, text: string) {
  const reply = await api<{ message: { seq: number } }>(url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
    token,
    body: { text },
  });
  if (reply.status !== 201) throw new Error(`send: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.message.seq;
}

/** A word no other test (or earlier run on the same database) uses. */
export const unique = (stem: string) =>
  `${stem}${Math.random().toString(36).slice(2, 8).replace(/\d/g, 'q')}`;
