import type { Message, Profile, RoomDetailsReply, User, UserSummary } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  defaultRoomId,
  nextEvent,
  register,
  request,
  startServer,
  type TestServer,
} from '../harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const patch = (token: string, body: unknown) =>
  api<{ user: User }>(server.url, 'PATCH', '/api/me', { token, body });
const card = (token: string, userId: string) =>
  api<{ profile: Profile }>(server.url, 'GET', `/api/users/${userId}`, { token });

describe('profiles', () => {
  it('shows a display name with the username in messages, member lists, search and the sender’s sockets', async () => {
    const ana = await register(server.url);
    const bob = await register(server.url);
    const general = await defaultRoomId(server.url, ana.token);
    const bobSocket = await connect(server.url, bob.token);
    const heard = nextEvent(bobSocket, 'user:updated', (user) => user.id === ana.user.id);
    const anaSocket = await connect(server.url, ana.token);

    const reply = await patch(ana.token, { displayName: '  Ana   María  ' });
    expect(reply.status).toBe(200);
    expect(reply.body.user).toMatchObject({ username: ana.user.username, displayName: 'Ana María' });
    expect(await heard).toEqual({ id: ana.user.id, username: ana.user.username, displayName: 'Ana María' });

    const sent = await request(anaSocket, 'message:send', {
      roomId: general,
      text: 'hola',
      clientId: 'hola-1',
    });
    expect(sent.ok && (sent as unknown as { message: Message }).message.author.displayName).toBe('Ana María');
    const details = await api<RoomDetailsReply>(server.url, 'GET', `/api/chat/rooms/${general}`, {
      token: bob.token,
    });
    expect(details.body.members.find((m) => m.id === ana.user.id)?.displayName).toBe('Ana María');
    const history = details.body.messages.find((m) => m.text === 'hola');
    expect(history?.author).toMatchObject({ username: ana.user.username, displayName: 'Ana María' });
    const found = await api<{ users: UserSummary[] }>(
      server.url,
      'GET',
      `/api/users?q=${ana.user.username}`,
      {
        token: bob.token,
      },
    );
    expect(found.body.users[0]?.displayName).toBe('Ana María');
    anaSocket.close();
    bobSocket.close();
  });

  it('keeps a status until it expires, and a time zone; the card shows both', async () => {
    const ana = await register(server.url);
    const bob = await register(server.url);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const reply = await patch(ana.token, {
      status: { text: 'In a meeting', expiresAt },
      timeZone: 'Asia/Tokyo',
    });
    expect(reply.body.user).toMatchObject({
      status: { text: 'In a meeting', expiresAt },
      timeZone: 'Asia/Tokyo',
    });
    const seen = await card(bob.token, ana.user.id);
    expect(seen.body.profile).toMatchObject({
      id: ana.user.id,
      status: { text: 'In a meeting', expiresAt },
      timeZone: 'Asia/Tokyo',
    });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await card(bob.token, ana.user.id)).body.profile.status).toBeUndefined();
    await patch(ana.token, { status: { text: 'Around', expiresAt: null } });
    expect((await card(bob.token, ana.user.id)).body.profile.status).toEqual({
      text: 'Around',
      expiresAt: null,
    });
    await patch(ana.token, { status: null, displayName: null });
    const cleared = (await card(bob.token, ana.user.id)).body.profile;
    expect(cleared.status).toBeUndefined();
    expect(cleared.displayName).toBeUndefined();
  });

  it('refuses bad fields, each with its code, and changes nothing', async () => {
    const ana = await register(server.url);
    await patch(ana.token, { displayName: 'Ana', timeZone: 'Europe/Paris' });
    const cases: [unknown, string][] = [
      [{ displayName: 'x'.repeat(65) }, 'invalid_profile'],
      [{ displayName: 'Ana', timeZone: 'Mars/Olympus' }, 'invalid_time_zone'],
      [{ status: { text: 'old news', expiresAt: '2001-01-01T00:00:00Z' } }, 'invalid_profile'],
      [{ status: { text: 'soon', expiresAt: 'not a date' } }, 'invalid_profile'],
      [{ email: 'not-an-address' }, 'invalid_email'],
      [{ displayName: 42 }, 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const reply = await patch(ana.token, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body).toMatchObject({ code });
    }
    const me = await api<{ user: User }>(server.url, 'GET', '/api/me', { token: ana.token });
    expect(me.body.user).toMatchObject({ displayName: 'Ana', timeZone: 'Europe/Paris' });
    expect(me.body.user.status).toBeUndefined();
  });

  it('answers 404 for the card of nobody, and 401 without a session', async () => {
    const ana = await register(server.url);
    expect((await card(ana.token, 'no-such-user')).status).toBe(404);
    expect((await api(server.url, 'GET', `/api/users/${ana.user.id}`)).status).toBe(401);
  });

  it('shows a new avatar in the card and to the person’s rooms, and refuses a file that is not an image', async () => {
    const ana = await register(server.url);
    const bob = await register(server.url);
    const bobSocket = await connect(server.url, bob.token);
    const heard = nextEvent(bobSocket, 'user:updated', (user) => user.id === ana.user.id && !!user.avatar);
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'me.png');
    const upload = await fetch(`${server.url}/api/me/avatar`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ana.token}` },
      body: form,
    });
    expect(upload.status).toBe(200);
    const avatar = (await heard).avatar as string;
    expect((await card(bob.token, ana.user.id)).body.profile.avatar).toBe(avatar);
    expect((await fetch(server.url + avatar)).headers.get('content-type')).toBe('image/webp');

    const text = new FormData();
    text.append('file', new Blob(['hello'], { type: 'image/png' }), 'fake.png');
    const refused = await fetch(`${server.url}/api/me/avatar`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ana.token}` },
      body: text,
    });
    expect(refused.status).toBe(400);
    expect((await card(bob.token, ana.user.id)).body.profile.avatar).toBe(avatar);
    bobSocket.close();
  });
});
