import type { AddressInfo } from 'node:net';
import type { AuthReply, ResetLinkReply, User } from '@parley/protocol';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, strongPassword, type TestServer } from '../harness.js';

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on port 0 that keeps what it receives. */
async function mailbox() {
  const received: Mail[] = [];
  const waiting: ((mail: Mail) => void)[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          const mail = { to: to?.text ?? '', subject: parsed.subject ?? '', text: parsed.text ?? '' };
          received.push(mail);
          waiting.shift()?.(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    next: () => new Promise<Mail>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

const linkIn = (text: string, route: string) => {
  const match = new RegExp(`https?://\\S+/#/${route}/([A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${route} link in: ${text}`);
  return match[1];
};

let server: TestServer;
let mail: Awaited<ReturnType<typeof mailbox>>;
let admin: AuthReply;
beforeAll(async () => {
  mail = await mailbox();
  server = await startServer({
    env: {
      SMTP_URL: mail.url,
      PUBLIC_URL: 'https://chat.example.test',
      MAIL_FROM: 'Parley <p@example.test>',
    },
  });
  admin = await register(server.url);
});
afterAll(async () => {
  await server.close();
  await mail.close();
});

const login = (username: string, password = strongPassword) =>
  api<AuthReply>(server.url, 'POST', '/api/login', { body: { username, password } });
const reset = (token: string, password: string) =>
  api(server.url, 'POST', '/api/password/reset', { body: { token, password } });

describe('forgotten passwords', () => {
  it('mails a reset link to a verified address; it works once and ends every session', async () => {
    const ana = await register(server.url);
    const address = `${ana.user.username}@example.test`;
    const verification = mail.next();
    const set = await api<{ user: User }>(server.url, 'PATCH', '/api/me', {
      token: ana.token,
      body: { email: address },
    });
    expect(set.body.user).toMatchObject({ email: address, emailVerified: false });
    const verifyMail = await verification;
    expect(verifyMail.to).toBe(address);
    const verifyToken = linkIn(verifyMail.text, 'verify-email');
    expect(
      (await api(server.url, 'POST', '/api/email/verify', { body: { token: verifyToken } })).status,
    ).toBe(204);
    expect(
      (await api(server.url, 'POST', '/api/email/verify', { body: { token: verifyToken } })).body,
    ).toMatchObject({
      code: 'email_link_invalid',
    });
    const me = await api<{ user: User }>(server.url, 'GET', '/api/me', { token: ana.token });
    expect(me.body.user.emailVerified).toBe(true);

    const arrived = mail.next();
    const asked = await api(server.url, 'POST', '/api/password/forgot', {
      body: { username: ana.user.username },
    });
    expect(asked.status).toBe(202);
    const resetMail = await arrived;
    expect(resetMail.to).toBe(address);
    expect(resetMail.text).toContain('https://chat.example.test/#/reset-password/');
    const token = linkIn(resetMail.text, 'reset-password');

    const check = await api(server.url, 'POST', '/api/password/reset/check', { body: { token } });
    expect(check.body).toMatchObject({ username: ana.user.username });
    const weak = await reset(token, ana.user.username + '-and-more');
    expect(weak.body).toMatchObject({ code: 'weak_password' });
    const next = 'silver-otter-canyon-18';
    expect((await reset(token, next)).status).toBe(204);
    expect((await reset(token, 'another-fine-password-29')).body).toMatchObject({
      code: 'reset_link_invalid',
    });
    expect((await api(server.url, 'GET', '/api/me', { token: ana.token })).status).toBe(401);
    expect((await login(ana.user.username)).status).toBe(401);
    expect((await login(ana.user.username, next)).status).toBe(200);
  });

  it('mails nothing to an unverified address, and answers the same for unknown names', async () => {
    const bob = await register(server.url);
    const verification = mail.next();
    await api(server.url, 'PATCH', '/api/me', { token: bob.token, body: { email: 'bob@example.test' } });
    await verification;
    const before = mail.received.length;
    const known = await api(server.url, 'POST', '/api/password/forgot', {
      body: { username: bob.user.username },
    });
    const unknown = await api(server.url, 'POST', '/api/password/forgot', {
      body: { username: 'nobody-here-at-all' },
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.received.length).toBe(before);
  });

  it('lets an admin make a one-time link; an expired, replayed or forged one is refused', async () => {
    const cleo = await register(server.url);
    const made = await api<ResetLinkReply>(
      server.url,
      'POST',
      `/api/admin/users/${cleo.user.id}/password-reset`,
      {
        token: admin.token,
      },
    );
    expect(made.status).toBe(201);
    expect(made.body.url).toBe(`https://chat.example.test/#/reset-password/${made.body.token}`);
    const refused = await api(server.url, 'POST', `/api/admin/users/${cleo.user.id}/password-reset`, {
      token: cleo.token,
    });
    expect(refused.status).toBe(403);

    expect((await reset('forged-token-that-was-never-made', 'silver-otter-canyon-18')).body).toMatchObject({
      code: 'reset_link_invalid',
    });
    const newer = await api<ResetLinkReply>(
      server.url,
      'POST',
      `/api/admin/users/${cleo.user.id}/password-reset`,
      {
        token: admin.token,
      },
    );
    // Only the latest link works.
    expect((await reset(made.body.token, 'silver-otter-canyon-18')).body).toMatchObject({
      code: 'reset_link_invalid',
    });
    await server.parley.ctx.store.db
      .updateTable('account_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', cleo.user.id)
      .execute();
    expect((await reset(newer.body.token, 'silver-otter-canyon-18')).body).toMatchObject({
      code: 'reset_link_invalid',
    });
    expect((await login(cleo.user.username)).status).toBe(200);
  });
});
