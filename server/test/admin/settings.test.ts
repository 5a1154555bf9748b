import type { AuditEntry, Settings } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, defaultRoomId, register, request, startServer, type TestServer } from '../harness.js';
import { roomWith } from '../moderation/support.js';
import { auditActions, type Person, people } from '../moderation/support.js';

let server: TestServer;
let cast: Record<'admin' | 'alice', Person>;

beforeAll(async () => {
  server = await startServer({ env: { RATE_TYPING: '1000/1s' } });
  cast = await people(server, 'admin', 'alice');
});
afterAll(() => server.close());

const settings = async () =>
  (await api<{ settings: Settings }>(server.url, 'GET', '/api/admin/settings', { token: cast.admin.token }))
    .body.settings;
const patch = (body: unknown) =>
  api<{ settings: Settings; code?: string }>(server.url, 'PATCH', '/api/admin/settings', {
    token: cast.admin.token,
    body,
  });

describe('admin: settings', () => {
  it('starts from the environment', async () => {
    expect((await settings()).rateLimits.typing).toEqual({ count: 1000, seconds: 1 });
    expect((await settings()).retentionDays).toBeNull();
  });

  it('refuses values out of range, unknown fields and wrong types, changing nothing', async () => {
    const before = await settings();
    for (const body of [
      { registration: 'sometimes' },
      { retentionDays: -1 },
      { uploadMaxBytes: 10 },
      { rateLimits: { send: { count: 0, seconds: 10 } } },
      { rateLimits: { send: { count: 5, seconds: 999_999 } } },
      { guests: 'yes' },
      { colour: 'blue' },
    ]) {
      const reply = await patch(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.code).toBe('validation_failed');
    }
    expect(await settings()).toEqual(before);
  });

  it('needs an explicit confirmation for a retention that deletes recent history', async () => {
    for (const days of [0, 7]) {
      const refused = await patch({ retentionDays: days });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('confirmation_required');
      expect((await patch({ retentionDays: days, confirmRetentionDays: days + 1 })).body.code).toBe(
        'confirmation_required',
      );
    }
    expect((await settings()).retentionDays).toBeNull();
    const refusals = (await auditActions(server, cast.admin.token, '&action=settings')).filter(
      (e) => e.outcome === 'refused',
    );
    expect(refusals.length).toBe(4);
    // A long retention needs no confirmation; a short one, confirmed, is applied.
    expect((await patch({ retentionDays: 365 })).body.settings.retentionDays).toBe(365);
    expect((await patch({ retentionDays: 7, confirmRetentionDays: 7 })).body.settings.retentionDays).toBe(7);
    expect((await patch({ retentionDays: null })).body.settings.retentionDays).toBeNull();
  });

  it('applies a new rate limit at once, without a restart', async () => {
    const roomId = await defaultRoomId(server.url, cast.alice.token);
    const socket = await connect(server.url, cast.alice.token);
    try {
      const typing = () => request(socket, 'typing', { roomId, typing: true });
      for (let i = 0; i < 5; i++) expect((await typing()).ok).toBe(true);
      const changed = await patch({ rateLimits: { typing: { count: 2, seconds: 60 } } });
      expect(changed.body.settings.rateLimits.typing).toEqual({ count: 2, seconds: 60 });
      expect(changed.body.settings.rateLimits.send).toEqual((await settings()).rateLimits.send);
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await typing());
      const refused = replies.filter((reply) => !reply.ok);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', retryAfter: expect.any(Number) },
      });
    } finally {
      socket.close();
      await patch({ rateLimits: { typing: { count: 1000, seconds: 1 } } });
    }
  });

  it('keeps what an admin set across a restart, over the environment', async () => {
    const own = await startServer({ env: { GUESTS: 'on' } });
    const boss = await register(own.url);
    await api(own.url, 'PATCH', '/api/admin/settings', { token: boss.token, body: { guests: false } });
    await own.close();
    const again = await startServer({ dataDir: own.dataDir, env: { GUESTS: 'on' } });
    try {
      expect((await api(again.url, 'GET', '/api/config')).body).toMatchObject({ guests: false });
    } finally {
      await again.close();
    }
  });
});

describe('admin: audit log', () => {
  it('records who did what to whom, filters it, and pages it', async () => {
    const entries = await api<{ entries: AuditEntry[] }>(
      server.url,
      'GET',
      '/api/admin/audit?action=settings&limit=2',
      {
        token: cast.admin.token,
      },
    );
    expect(entries.body.entries).toHaveLength(2);
    const [latest] = entries.body.entries;
    expect(latest).toMatchObject({
      actor: { id: cast.admin.user.id, username: cast.admin.user.username },
      action: 'settings.update',
      outcome: 'done',
    });
    expect(Date.parse(latest?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const next = await api<{ entries: AuditEntry[] }>(
      server.url,
      'GET',
      `/api/admin/audit?action=settings&limit=2&cursor=${(entries.body as { nextCursor?: string }).nextCursor}`,
      { token: cast.admin.token },
    );
    expect((next.body.entries[0]?.id ?? '') < (latest?.id ?? '')).toBe(true);
    const byName = await api<{ entries: AuditEntry[] }>(
      server.url,
      'GET',
      `/api/admin/audit?q=${cast.admin.user.username.slice(0, 6)}`,
      {
        token: cast.admin.token,
      },
    );
    expect(byName.body.entries.length).toBeGreaterThan(0);
  });

  it('exports the filtered log as CSV, quoting commas and quotes and defusing formulas', async () => {
    const troll = await register(server.url);
    const roomId = await roomWith(server, { owner: cast.alice, members: [troll] });
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/bans`, {
      token: cast.alice.token,
      body: { userId: troll.user.id, reason: '=HYPERLINK("x"), then "more"' },
    });
    const response = await fetch(`${server.url}/api/admin/audit.csv?action=room.ban&roomId=${roomId}`, {
      headers: { authorization: `Bearer ${cast.admin.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="parley-audit-/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('at,actor,action,target,room,reason,outcome,detail');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,room.ban,user ${troll.user.username} (${troll.user.id}),`);
    // The reason starts with "=": a spreadsheet would run it; the export prefixes a quote.
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x""), then ""more""",done,`);
  });

  it('is append-only: the database itself refuses to change or delete an entry', async () => {
    const db = server.parley.ctx.store.db;
    await expect(db.updateTable('audit_log').set({ action: 'forged' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });
});
