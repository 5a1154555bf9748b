import type { AuthReply, Message, RoomDetailsReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  defaultRoomId,
  register,
  request,
  startServer,
  strongPassword,
  type TestServer,
} from '../harness.js';

let server: TestServer;
let admin: AuthReply;
beforeAll(async () => {
  server = await startServer();
  admin = await register(server.url);
});
afterAll(() => server.close());

const remove = (token: string, body: unknown) => api(server.url, 'DELETE', '/api/me', { token, body });
const roomMessages = async (roomId: string) =>
  (await api<RoomDetailsReply>(server.url, 'GET', `/api/chat/rooms/${roomId}`, { token: admin.token })).body
    .messages;

async function says(person: AuthReply, text: string): Promise<{ roomId: string; seq: number }> {
  const roomId = await defaultRoomId(server.url, person.token);
  const socket = await connect(server.url, person.token);
  const ack = (await request(socket, 'message:send', {
    roomId,
    text,
    clientId: crypto.randomUUID(),
  })) as unknown as { message: Message };
  socket.close();
  return { roomId, seq: ack.message.seq };
}

describe('deleting one’s own account', () => {
  it('keeps the messages under “Deleted user”, ends the sessions and their sockets, and frees the name', async () => {
    const ana = await register(server.url);
    const { roomId, seq } = await says(ana, 'remember me');
    const socket = await connect(server.url, ana.token);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    const reply = await remove(ana.token, { password: strongPassword, messages: 'keep' });
    expect(reply.status).toBe(204);
    await closed;
    expect((await api(server.url, 'GET', '/api/me', { token: ana.token })).status).toBe(401);
    const kept = (await roomMessages(roomId)).find((m) => m.seq === seq);
    expect(kept).toMatchObject({
      text: 'remember me',
      author: { id: ana.user.id, username: 'Deleted user' },
    });
    const again = await api(server.url, 'POST', '/api/register', {
      body: { username: ana.user.username, password: strongPassword },
    });
    expect(again.status).toBe(201);
  });

  it('removes the messages when asked, for everyone', async () => {
    const bob = await register(server.url);
    const { roomId, seq } = await says(bob, 'forget me');
    const reply = await remove(bob.token, { password: strongPassword, messages: 'remove' });
    expect(reply.status).toBe(204);
    const gone = (await roomMessages(roomId)).find((m) => m.seq === seq);
    expect(gone === undefined || gone.deleted === true).toBe(true);
    expect(JSON.stringify(await roomMessages(roomId))).not.toContain('forget me');
  });

  it('refuses without the right password, or without saying what becomes of the messages, and deletes nothing', async () => {
    const cleo = await register(server.url);
    const wrong = await remove(cleo.token, { password: 'not-my-password-1', messages: 'keep' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'wrong_password' });
    const vague = await remove(cleo.token, { password: strongPassword });
    expect(vague.status).toBe(400);
    expect(vague.body).toMatchObject({ code: 'validation_failed' });
    expect((await api(server.url, 'GET', '/api/me', { token: cleo.token })).status).toBe(200);
  });

  it('will not let the last admin leave the server without one', async () => {
    const reply = await remove(admin.token, { password: strongPassword, messages: 'keep' });
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ code: 'last_admin' });
    expect((await api(server.url, 'GET', '/api/me', { token: admin.token })).status).toBe(200);
  });
});
