import type {
  AuthReply,
  LoginReply,
  RecoveryCodesReply,
  TotpLoginReply,
  TotpSetupReply,
} from '@parley/protocol';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, strongPassword, type TestServer, uniqueName } from '../harness.js';

/** The authenticator app: the same RFC 6238 codes a phone would show, for any 30-second step. */
const codeAt = (secret: string, step: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: step * 30_000,
  });
const stepNow = () => Math.floor(Date.now() / 30_000);

/** Tests use the steps either side of now (the server accepts ±1): start well inside a step. */
async function awayFromStepEdge(): Promise<void> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 22_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - intoStep + 200));
}

let server: TestServer;
let admin: AuthReply;
beforeAll(async () => {
  server = await startServer();
  admin = await register(server.url, uniqueName('boss')); // the first account runs the server
});
afterAll(() => server.close());

const login = (username: string, password = strongPassword) =>
  api<LoginReply>(server.url, 'POST', '/api/login', { body: { username, password } });

async function ticketFor(username: string): Promise<string> {
  const reply = await login(username);
  expect(reply.status).toBe(200);
  if (!('secondStep' in reply.body)) throw new Error('expected a second step');
  return reply.body.secondStep.ticket;
}

const secondStep = (ticket: string, code: string) =>
  api<TotpLoginReply>(server.url, 'POST', '/api/login/totp', { body: { ticket, code } });

/** Registers someone and turns two-factor on, confirmed with the previous step's code. */
async function enrolled() {
  const username = uniqueName('tf');
  const { token, user } = await register(server.url, username);
  const setup = await api<TotpSetupReply>(server.url, 'POST', '/api/me/totp/setup', { token });
  expect(setup.status).toBe(200);
  expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
  expect(setup.body.qrSvg).toContain('<svg');
  const confirm = await api<RecoveryCodesReply>(server.url, 'POST', '/api/me/totp/confirm', {
    token,
    body: { code: codeAt(setup.body.secret, stepNow() - 1) },
  });
  expect(confirm.status).toBe(200);
  return { username, token, user, secret: setup.body.secret, recoveryCodes: confirm.body.recoveryCodes };
}

describe('two-factor sign-in (TOTP)', () => {
  it('enrols with a scanned secret and ten recovery codes, then asks for a code after the password', async () => {
    await awayFromStepEdge();
    const person = await enrolled();
    expect(person.recoveryCodes).toHaveLength(10);
    expect(new Set(person.recoveryCodes).size).toBe(10);
    const status = await api(server.url, 'GET', '/api/me/totp', { token: person.token });
    expect(status.body).toEqual({ enabled: true, recoveryCodesLeft: 10, required: false });

    const first = await login(person.username);
    expect(first.body).toMatchObject({ secondStep: { enrol: false } });
    expect(first.body).not.toHaveProperty('token');
    const ticket = await ticketFor(person.username);
    // The ticket is not a session.
    expect((await api(server.url, 'GET', '/api/me', { token: ticket })).status).toBe(401);

    const wrong = await secondStep(ticket, codeAt(person.secret, stepNow() + 5));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'two_factor_invalid' });

    const done = await secondStep(ticket, codeAt(person.secret, stepNow()));
    expect(done.status).toBe(200);
    expect(done.body.user.id).toBe(person.user.id);
    expect((await api(server.url, 'GET', '/api/me', { token: done.body.token })).status).toBe(200);
  });

  it('refuses a code used once already (the same time step), even with a fresh ticket', async () => {
    await awayFromStepEdge();
    const person = await enrolled();
    const code = codeAt(person.secret, stepNow());
    expect((await secondStep(await ticketFor(person.username), code)).status).toBe(200);
    const replay = await secondStep(await ticketFor(person.username), code);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'two_factor_invalid' });
    // An older step than the last one used is refused too; the next one works.
    const older = await secondStep(await ticketFor(person.username), codeAt(person.secret, stepNow() - 1));
    expect(older.body).toMatchObject({ code: 'two_factor_invalid' });
    const next = await secondStep(await ticketFor(person.username), codeAt(person.secret, stepNow() + 1));
    expect(next.status).toBe(200);
  });

  it('signs in with a recovery code once, and never again with the same one', async () => {
    await awayFromStepEdge();
    const person = await enrolled();
    const recovery = person.recoveryCodes[3]!;
    const first = await secondStep(await ticketFor(person.username), recovery.toUpperCase());
    expect(first.status).toBe(200);
    const again = await secondStep(await ticketFor(person.username), recovery);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'two_factor_invalid' });
    const status = await api(server.url, 'GET', '/api/me/totp', { token: person.token });
    expect(status.body).toMatchObject({ recoveryCodesLeft: 9 });
  });

  it('refuses a forged or session token as a ticket, and a wrong password before any ticket', async () => {
    const person = await enrolled();
    const forged = await secondStep(`${(await ticketFor(person.username)).slice(0, -3)}abc`, '123456');
    expect(forged.body).toMatchObject({ code: 'two_factor_expired' });
    const session = await secondStep(person.token, '123456');
    expect(session.body).toMatchObject({ code: 'two_factor_expired' });
    const wrong = await login(person.username, 'not-the-password-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
  });

  it('turns off only with the password and a code, then signs in with the password alone', async () => {
    await awayFromStepEdge();
    const person = await enrolled();
    const code = codeAt(person.secret, stepNow());
    const badPassword = await api(server.url, 'DELETE', '/api/me/totp', {
      token: person.token,
      body: { password: 'wrong-password-here', code },
    });
    expect(badPassword.status).toBe(401);
    const badCode = await api(server.url, 'DELETE', '/api/me/totp', {
      token: person.token,
      body: { password: strongPassword, code: codeAt(person.secret, stepNow() + 7) },
    });
    expect(badCode.body).toMatchObject({ code: 'two_factor_invalid' });
    expect((await login(person.username)).body).toHaveProperty('secondStep');
    const off = await api(server.url, 'DELETE', '/api/me/totp', {
      token: person.token,
      body: { password: strongPassword, code },
    });
    expect(off.status).toBe(204);
    const plain = await login(person.username);
    expect(plain.body).toHaveProperty('token');
  });

  it('confirms an enrolment only with a right code, and keeps it off until then', async () => {
    const username = uniqueName('half');
    const { token } = await register(server.url, username);
    const setup = await api<TotpSetupReply>(server.url, 'POST', '/api/me/totp/setup', { token });
    const wrong = await api(server.url, 'POST', '/api/me/totp/confirm', {
      token,
      body: { code: codeAt(setup.body.secret, stepNow() + 9) },
    });
    expect(wrong.body).toMatchObject({ code: 'two_factor_invalid' });
    expect((await api(server.url, 'GET', '/api/me/totp', { token })).body).toMatchObject({ enabled: false });
    // Unconfirmed, it does not stand between the password and a session.
    expect((await login(username)).body).toHaveProperty('token');
  });

  it('limits the codes one account may try', async () => {
    const person = await enrolled();
    const ticket = await ticketFor(person.username);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await secondStep(ticket, '000000')).status);
    expect(statuses.slice(0, 9).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  describe('when an admin requires it', () => {
    afterAll(async () => {
      await api(server.url, 'PATCH', '/api/admin/settings', {
        token: admin.token,
        body: { twoFactor: 'off' },
      });
    });

    it('makes admins enrol at their next sign-in, and leaves others alone', async () => {
      await awayFromStepEdge();
      const member = uniqueName('member');
      await register(server.url, member);
      const set = await api(server.url, 'PATCH', '/api/admin/settings', {
        token: admin.token,
        body: { twoFactor: 'admins' },
      });
      expect(set.status).toBe(200);
      expect((await login(member)).body).toHaveProperty('token');

      const reply = await login(admin.user.username);
      expect(reply.body).toMatchObject({ secondStep: { enrol: true } });
      const ticket = (reply.body as { secondStep: { ticket: string } }).secondStep.ticket;
      // No code is accepted before a secret is set up, and no session comes without one.
      expect((await secondStep(ticket, '123456')).body).toMatchObject({ code: 'two_factor_invalid' });
      const setup = await api<TotpSetupReply>(server.url, 'POST', '/api/login/totp/setup', {
        body: { ticket },
      });
      expect(setup.status).toBe(200);
      const done = await secondStep(ticket, codeAt(setup.body.secret, stepNow()));
      expect(done.status).toBe(200);
      expect(done.body.recoveryCodes).toHaveLength(10);
      expect(done.body.user.id).toBe(admin.user.id);
      admin = { user: done.body.user, token: done.body.token };
      // Required: it cannot be turned off.
      const off = await api(server.url, 'DELETE', '/api/me/totp', {
        token: admin.token,
        body: { password: strongPassword, code: codeAt(setup.body.secret, stepNow() + 1) },
      });
      expect(off.body).toMatchObject({ code: 'two_factor_required' });
    });

    it('makes everyone with a password enrol when set to everyone', async () => {
      const member = uniqueName('all');
      await register(server.url, member);
      await api(server.url, 'PATCH', '/api/admin/settings', {
        token: admin.token,
        body: { twoFactor: 'everyone' },
      });
      expect((await login(member)).body).toMatchObject({ secondStep: { enrol: true } });
      const me = await api(server.url, 'GET', '/api/me/totp', { token: (await register(server.url)).token });
      expect(me.body).toMatchObject({ required: true, enabled: false });
    });
  });
});
