import type { Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  defaultRoomId,
  register,
  request,
  startServer,
  type TestServer,
  uniqueName,
} from '../harness.js';

// Runs on SQLite and, in `npm run test:scale`, on PostgreSQL: both must store exactly what they ack.
let server: TestServer;
let token: string;
let roomId: string;
let socket: ClientSocket;

beforeAll(async () => {
  server = await startServer({ env: { MAX_MESSAGE_LENGTH: '10' } });
  ({ token } = await register(server.url));
  roomId = await defaultRoomId(server.url, token);
  socket = await connect(server.url, token);
});
afterAll(async () => {
  socket.close();
  await server.close();
});

const history = async () =>
  (await api<{ messages: Message[] }>(server.url, 'GET', `/api/chat/rooms/${roomId}/messages`, { token }))
    .body.messages;
const send = (text: string) => request(socket, 'message:send', { roomId, text, clientId: uniqueName('c') });

describe('message text', () => {
  it('refuses lone surrogates on both transports and stores nothing', async () => {
    const before = await history();
    for (const text of ['a\ud800b', '\udfff', 'x\ud83d']) {
      const ack = await send(text);
      expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      const rest = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
        token,
        body: { text },
      });
      expect(rest.status).toBe(400);
    }
    expect(await history()).toEqual(before);
  });

  it('stores text in NFC, and gives back exactly what it acknowledged', async () => {
    const ack = (await send('Cafe\u0301 ok')) as unknown as { ok: true; message: Message };
    expect(ack.ok).toBe(true);
    expect(ack.message.text).toBe('Caf\u00e9 ok');
    const stored = (await history()).find((message) => message.seq === ack.message.seq);
    expect(stored?.text).toBe('Caf\u00e9 ok');
    const edit = await request(socket, 'message:edit', { roomId, seq: ack.message.seq, text: 'n\u0303o' });
    expect(edit).toMatchObject({ ok: true, message: { text: '\u00f1o' } });
    const badEdit = await request(socket, 'message:edit', { roomId, seq: ack.message.seq, text: 'a\ud800' });
    expect(badEdit).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it('refuses a message of only zero-width and other invisible characters as empty', async () => {
    for (const text of ['\u200b', '\u200b\u200c\u200d', ' \u2060\ufeff ', '\u3164', '\u00ad']) {
      expect(await send(text)).toMatchObject({ ok: false, error: { code: 'message_empty' } });
    }
  });

  it('counts the length limit in characters, not UTF-16 units', async () => {
    expect((await send('😀'.repeat(10))).ok).toBe(true);
    expect(await send('😀'.repeat(11))).toMatchObject({ ok: false, error: { code: 'message_too_long' } });
    expect((await send('é'.repeat(10))).ok).toBe(true);
    // Ten characters once composed: e + U+0301 ten times is 20 code points before NFC.
    expect((await send('e\u0301'.repeat(10))).ok).toBe(true);
  });
});

describe('room names', () => {
  const create = (name: string) =>
    api<{ room: { name: string }; code?: string }>(server.url, 'POST', '/api/chat/rooms', {
      token,
      body: { name },
    });

  it('refuses invisible characters and look-alike letters, as usernames are refused', async () => {
    for (const name of [
      'General\u200b',
      'Gen\u200deral',
      '\u2066General',
      'Ge\u00adneral',
      'G\u0435neral', // a Cyrillic е
      '\u0421\u043e\u0440\u0435', // "Соре": all Cyrillic, reads as "Cope"
      '\u039f\u03a1\u03a4', // "ΟΡΤ" in Greek capitals
      'Tech\u3164',
    ]) {
      const reply = await create(name);
      expect(reply.status, JSON.stringify(name)).toBe(400);
      expect(reply.body.code).toBe('validation_failed');
    }
  });

  it('folds compatibility forms onto the name they look like', async () => {
    const reply = await create('\uff27\uff45\uff4e\uff45\uff52\uff41\uff4c'); // full-width "General"
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('room_name_taken');
  });

  it('keeps names in other scripts, mixed words and emoji sequences', async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    for (const name of [
      `Общий ${tag}`,
      `Dev чат ${tag}`,
      `Καλημέρα ${tag}`,
      `👩\u200d💻 Coders ${tag}`,
      `❤\ufe0f Fans ${tag}`,
      `Café ${tag}`,
      `日本語 ${tag}`,
    ]) {
      const reply = await create(name);
      expect(reply.status, name).toBe(201);
      expect(reply.body.room.name).toBe(name.normalize('NFKC'));
    }
  });

  it('refuses a rename to a hidden-character name', async () => {
    const made = await create(`Renamed ${Math.random().toString(36).slice(2, 6)}`);
    const id = (made.body.room as unknown as { id: string }).id;
    const reply = await api(server.url, 'PATCH', `/api/chat/rooms/${id}`, {
      token,
      body: { name: 'Random\u200b' },
    });
    expect(reply.status).toBe(400);
  });
});
