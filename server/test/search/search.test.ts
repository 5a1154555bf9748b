import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, type TestServer } from '../harness.js';
import { png, send, uploaded } from '../files/support.js';
import { found, makeRoom, say, searchFor, unique } from './support.js';

let server: TestServer;
let url: string;
beforeAll(async () => {
  server = await startServer();
  url = server.url;
});
afterAll(() => server.close());

describe('search finds what a reader would call a match', () => {
  it('finds words by their stem and without their accents, highlighting where they are', async () => {
    const ana = await register(url);
    const room = await makeRoom(url, ana.token);
    const w = unique('zorb');
    await say(url, ana.token, room.id, `The ${w} café was running late`);
    await say(url, ana.token, room.id, `nothing to see here`);
    for (const q of [`${w} runs`, `${w} cafe`, `${w.toUpperCase()} CAFÉ`, `${w} running`]) {
      expect(await found(url, ana.token, q)).toEqual([`The ${w} café was running late`]);
    }
    const { body } = await searchFor(url, ana.token, { q: `${w} runs` });
    const [result] = body.results;
    const text = result?.message.text ?? '';
    expect(result?.highlights.map((r) => text.slice(r.start, r.end))).toEqual([w, 'running']);
    expect(result?.room).toMatchObject({ id: room.id, name: room.name, kind: 'room', joined: true });
  });

  it('finds an exact phrase, a prefix, and leaves out excluded words', async () => {
    const ana = await register(url);
    const room = await makeRoom(url, ana.token);
    const w = unique('plok');
    await say(url, ana.token, room.id, `${w} deploy the green build`);
    await say(url, ana.token, room.id, `${w} green deploy the build`);
    await say(url, ana.token, room.id, `${w} deployment notes`);
    expect(await found(url, ana.token, `"${w} deploy the green"`)).toEqual([`${w} deploy the green build`]);
    // A prefix matches the start of a word's stem: "deplo*" finds deploy and deployment.
    expect(await found(url, ana.token, `${w} deplo*`)).toHaveLength(3);
    expect(await found(url, ana.token, `${w} note*`)).toEqual([`${w} deployment notes`]);
    expect(await found(url, ana.token, `${w} build -green`)).toEqual([]);
    expect(await found(url, ana.token, `${w} -green`)).toEqual([`${w} deployment notes`]);
  });

  it('keeps the little words of a phrase: "the cat" finds neither "a cat" nor "cat the"', async () => {
    const ana = await register(url);
    const room = await makeRoom(url, ana.token);
    const w = unique('mrow');
    await say(url, ana.token, room.id, `${w} a cat sat on the mat`);
    await say(url, ana.token, room.id, `${w} the cat chased the dog`);
    await say(url, ana.token, room.id, `${w} cat the dog`);
    expect(await found(url, ana.token, `${w} "the cat"`)).toEqual([`${w} the cat chased the dog`]);
    expect(await found(url, ana.token, `${w} "the mat"`)).toEqual([`${w} a cat sat on the mat`]);
    // A phrase with no little word still matches by the words' stems.
    expect(await found(url, ana.token, `${w} "cats sat"`)).toEqual([`${w} a cat sat on the mat`]);
    expect(await found(url, ana.token, `${w} "the"`)).toHaveLength(3);
  });

  it('finds a substring of Chinese or Japanese text, which has no spaces between words', async () => {
    const ana = await register(url);
    const room = await makeRoom(url, ana.token);
    const w = unique('kanji');
    await say(url, ana.token, room.id, `${w} 明日は東京都庁で会議があります`);
    expect(await found(url, ana.token, `${w} 東京`)).toHaveLength(1);
    expect(await found(url, ana.token, `${w} 東京都庁`)).toHaveLength(1);
    expect(await found(url, ana.token, `${w} 会議`)).toHaveLength(1);
    expect(await found(url, ana.token, `${w} 京`)).toHaveLength(1);
    expect(await found(url, ana.token, `${w} 大阪`)).toEqual([]);
    const { body } = await searchFor(url, ana.token, { q: `${w} 東京都` });
    const text = body.results[0]?.message.text ?? '';
    expect(body.results[0]?.highlights.map((r) => text.slice(r.start, r.end))).toEqual([w, '東京都']);
  });

  it('pages newest first by cursor, and best match first when asked', async () => {
    const ana = await register(url);
    const room = await makeRoom(url, ana.token);
    const w = unique('pag');
    for (let i = 1; i <= 5; i++)
      await say(url, ana.token, room.id, `${w} number ${i}${i === 2 ? ` ${w} ${w}` : ''}`);
    const texts: string[] = [];
    let cursor: string | undefined;
    do {
      const { body } = await searchFor(url, ana.token, { q: w, limit: '2', ...(cursor ? { cursor } : {}) });
      texts.push(...body.results.map((r) => r.message.text));
      cursor = body.cursor;
    } while (cursor);
    expect(texts.map((t) => t.split(' ')[2])).toEqual(['5', '4', '3', '2', '1']);
    const best = await found(url, ana.token, w, { sort: 'relevance', limit: '1' });
    expect(best[0]).toContain('number 2');
  });
});

describe('search answers only from rooms the reader can read now', () => {
  it('never shows a private room, a DM of others, a room left or one removed from', async () => {
    const [ana, ben, eve] = await Promise.all([register(url), register(url), register(url)]);
    const w = unique('secret');
    const hidden = await makeRoom(url, ana.token, 'private');
    await say(url, ana.token, hidden.id, `${w} in a private room`);
    const dm = await api<{ room: { id: string } }>(url, 'POST', '/api/dms', {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    await say(url, ana.token, dm.body.room.id, `${w} in a DM`);
    const shared = await makeRoom(url, ana.token, 'private');
    await api(url, 'POST', `/api/chat/rooms/${shared.id}/members`, {
      token: ana.token,
      body: { userId: eve.user.id },
    });
    await say(url, ana.token, shared.id, `${w} shared with eve`);
    const open = await makeRoom(url, ana.token, 'public');
    await api(url, 'POST', `/api/chat/rooms/${open.id}/join`, { token: eve.token });
    await say(url, ana.token, open.id, `${w} in the open`);

    expect((await found(url, ana.token, w)).length).toBe(4);
    expect((await found(url, ben.token, w)).sort()).toEqual([`${w} in a DM`]);
    expect((await found(url, eve.token, w)).sort()).toEqual([`${w} in the open`, `${w} shared with eve`]);

    await api(url, 'POST', `/api/chat/rooms/${open.id}/leave`, { token: eve.token });
    await api(url, 'DELETE', `/api/chat/rooms/${shared.id}/members/${eve.user.id}`, { token: ana.token });
    expect(await found(url, eve.token, w)).toEqual([]);
    // A public room is searched without joining only when asked; a private one never.
    expect(await found(url, eve.token, w, { public: 'true' })).toEqual([`${w} in the open`]);
    for (const roomId of [hidden.id, dm.body.room.id, shared.id]) {
      const reply = await searchFor(url, eve.token, { q: w, roomId });
      expect(reply.status).toBe(404);
      expect(reply.body.code).toBe('room_not_found');
    }
    expect(await found(url, eve.token, w, { roomId: open.id })).toEqual([`${w} in the open`]);
  });

  it('reflects an edit, a delete and a cleared history at once', async () => {
    const ana = await register(url);
    const room = await makeRoom(url, ana.token);
    const [before, after] = [unique('old'), unique('new')];
    const seq = await say(url, ana.token, room.id, `${before} words`);
    const gone = await say(url, ana.token, room.id, `${before} to delete`);
    const edited = await api(url, 'PATCH', `/api/chat/rooms/${room.id}/messages/${seq}`, {
      token: ana.token,
      body: { text: `${after} words` },
    });
    expect(edited.status).toBe(200);
    expect(await found(url, ana.token, after)).toEqual([`${after} words`]);
    expect(await found(url, ana.token, before)).toEqual([`${before} to delete`]);
    await api(url, 'DELETE', `/api/chat/rooms/${room.id}/messages/${gone}`, { token: ana.token });
    expect(await found(url, ana.token, before)).toEqual([]);
    await api(url, 'DELETE', `/api/chat/rooms/${room.id}/messages`, { token: ana.token });
    expect(await found(url, ana.token, after)).toEqual([]);
    // A new message after the clear is found, and nothing cleared comes back with it.
    await say(url, ana.token, room.id, `${after} again`);
    expect(await found(url, ana.token, after)).toEqual([`${after} again`]);
  });
});

describe('search filters', () => {
  it('finds a message that carries a file with has:file, and not one without', async () => {
    const ana = await register(url);
    const room = await makeRoom(url, ana.token);
    const w = unique('attach');
    const file = await uploaded(url, ana.token, room.id, {
      name: 'notes.txt',
      type: 'text/plain',
      bytes: new TextEncoder().encode('minutes'),
    });
    const withFile = await send(url, ana.token, room.id, [file.id], `${w} the minutes attached`);
    expect(withFile.status).toBe(201);
    await say(url, ana.token, room.id, `${w} the minutes, no file`);
    expect(await found(url, ana.token, `${w} has:file`)).toEqual([`${w} the minutes attached`]);
    expect((await found(url, ana.token, w)).sort()).toEqual([
      `${w} the minutes attached`,
      `${w} the minutes, no file`,
    ]);
    // A message of files alone is found by the filter with no words at all.
    const photo = await uploaded(url, ana.token, room.id, {
      name: 'only.png',
      type: 'image/png',
      bytes: await png(),
    });
    const bare = await send(url, ana.token, room.id, [photo.id]);
    const onlyFiles = await searchFor(url, ana.token, { q: 'has:file', roomId: room.id });
    expect(onlyFiles.body.results.map((r) => r.message.seq).sort()).toEqual(
      [withFile.body.message.seq, bare.body.message.seq].sort(),
    );
  });

  it('narrows by from:, in:, a DM, dates, has:link and the parameters', async () => {
    const [ana, ben] = await Promise.all([register(url), register(url)]);
    const w = unique('filt');
    const one = await makeRoom(url, ana.token);
    const two = await makeRoom(url, ana.token);
    await api(url, 'POST', `/api/chat/rooms/${one.id}/join`, { token: ben.token });
    await say(url, ana.token, one.id, `${w} ana in one https://example.org`);
    await say(url, ben.token, one.id, `${w} ben in one`);
    await say(url, ana.token, two.id, `${w} ana in two`);
    const dm = await api<{ room: { id: string } }>(url, 'POST', '/api/dms', {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    await say(url, ben.token, dm.body.room.id, `${w} ben in the DM`);

    const sorted = async (q: string, extra: Record<string, string> = {}) =>
      (await found(url, ana.token, q, extra)).sort();
    expect(await sorted(`${w} from:@${ben.user.username}`)).toEqual([
      `${w} ben in one`,
      `${w} ben in the DM`,
    ]);
    expect(await sorted(w, { from: ben.user.username })).toEqual([`${w} ben in one`, `${w} ben in the DM`]);
    expect(await sorted(`${w} in:"${one.name}"`)).toEqual([
      `${w} ana in one https://example.org`,
      `${w} ben in one`,
    ]);
    expect(await sorted(`${w} in:@${ben.user.username}`)).toEqual([`${w} ben in the DM`]);
    expect(await sorted(`${w} has:link`)).toEqual([`${w} ana in one https://example.org`]);
    expect(await sorted(`${w} has:file`)).toEqual([]);
    expect(await sorted(w, { roomId: two.id })).toEqual([`${w} ana in two`]);
    // Only the operators: everything ben wrote in room one.
    expect(await sorted(`from:@${ben.user.username} in:"${one.name}"`)).toEqual([`${w} ben in one`]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await sorted(`${w} on:${today}`)).length).toBe(4);
    expect((await sorted(`${w} before:${tomorrow}`)).length).toBe(4);
    expect(await sorted(`${w} before:${today}`)).toEqual([]);
    expect(await sorted(`${w} after:${today}`)).toEqual([]);
    expect(await sorted(w, { after: today, before: tomorrow })).toHaveLength(4);
    expect(await sorted(`${w} from:@nobody-by-that-name`)).toEqual([]);
    expect(await sorted(`${w} in:#no-such-room`)).toEqual([]);
  });
});

describe('search and hostile input', () => {
  it('answers FTS syntax, quotes, SQL and odd characters with a coded 400 or an honest result, never a 500', async () => {
    const [ana, eve] = await Promise.all([register(url), register(url)]);
    const room = await makeRoom(url, ana.token, 'private');
    const w = unique('hostile');
    await say(url, ana.token, room.id, `${w} NEAR the "quoted" OR text; DROP TABLE`);
    const queries = [
      '*',
      '"',
      '""',
      '"unbalanced',
      'NEAR(',
      'NEAR(a b, 2)',
      'a AND',
      'OR OR',
      'NOT',
      '^a',
      'body:a',
      '-',
      '--',
      '-"',
      '(',
      ')',
      '{a b}',
      'a:b',
      "'; DROP TABLE messages; --",
      "' OR 1=1 --",
      '\\',
      '%',
      '_',
      '&&',
      '!!',
      '<->',
      'a:*',
      ':*',
      '\u0000',
      '😀',
      'ä*',
      `${w}*`,
      `"${w}" OR "x"`,
      `${w} NEAR`,
      `${w} "quoted"`,
      `NEAR(${w}`,
      `${w} -`,
      `-${w}`,
      'from:',
      'in:',
      'has:',
      'before:',
      'after:2026-13-45',
      'has:cats',
      'in:""',
      `"${w}`,
    ];
    for (const q of queries) {
      for (const token of [ana.token, eve.token]) {
        const reply = await searchFor(url, token, { q });
        expect(reply.status, `${q}: ${JSON.stringify(reply.body)}`).toBeLessThan(500);
        if (reply.status !== 200) expect(['query_empty', 'validation_failed']).toContain(reply.body.code);
        if (token === eve.token && reply.status === 200) expect(reply.body.results).toEqual([]);
      }
    }
    expect(await found(url, ana.token, `"${w}`)).toHaveLength(1);
    expect(await found(url, ana.token, `${w} NEAR(`)).toHaveLength(1);
  });

  it('refuses an empty query, an over-long one and a forged cursor with their codes', async () => {
    const ana = await register(url);
    const cases: [Record<string, string>, number, string][] = [
      [{ q: '' }, 400, 'query_empty'],
      [{ q: '   ' }, 400, 'query_empty'],
      [{ q: '-alone' }, 400, 'query_empty'],
      [{ q: 'x'.repeat(300) }, 400, 'query_too_long'],
      [{ q: Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ') }, 400, 'query_too_long'],
      [{ q: 'x'.repeat(3000) }, 400, 'validation_failed'],
      [{ q: 'hello', cursor: 'bm90IGpzb24' }, 400, 'validation_failed'],
      [{ q: 'hello', cursor: Buffer.from('{"a":-1}').toString('base64url') }, 400, 'validation_failed'],
      [{ q: 'hello', before: 'yesterday' }, 400, 'validation_failed'],
      [{ q: 'hello', limit: '500' }, 400, 'validation_failed'],
      [{ q: 'hello', roomId: 'no-such-room' }, 404, 'room_not_found'],
    ];
    for (const [params, status, code] of cases) {
      const reply = await searchFor(url, ana.token, params);
      expect([reply.status, reply.body.code], JSON.stringify(params)).toEqual([status, code]);
    }
    expect((await api(url, 'GET', '/api/search?q=hello')).status).toBe(401);
  });
});
