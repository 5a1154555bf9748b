import type { MessageFile } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register } from '../harness.js';
import { newRoom, png, send, signedUrl, startS3, uploaded } from '../files/support.js';
import { type Node, services, startNodes, until } from './cluster.js';

describe.skipIf(!services)('files on several nodes sharing one S3-compatible store', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  let one: Node;
  let two: Node;

  beforeAll(async () => {
    s3 = await startS3();
    // One after the other: two cold starts at once can outlast the harness's start timeout on a busy
    // machine, and this test is about the files, not a simultaneous deploy (cluster.test.ts has that).
    cluster = await startNodes(1, s3.env);
    one = cluster.nodes[0] as Node;
    two = await cluster.add();
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
    await s3?.close();
  });

  it('downloads through one node a file uploaded through the other, and deletes it from either', async () => {
    const ana = await register(one.url);
    const ben = await register(two.url);
    const roomId = await newRoom(one.url, ana.token, ben.token);
    // Not a round size, and not the same byte throughout: a truncated or shifted copy would not match.
    const bytes = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
    const file = await uploaded(one.url, ana.token, roomId, { name: 'report.bin', bytes });
    const picture = await uploaded(one.url, ana.token, roomId, {
      name: 'plan.png',
      bytes: await png(80, 60),
    });
    expect(await s3.keys()).toEqual([file.id, picture.id, `${picture.id}.t`].sort());

    // Sent through the other node: it finds the upload in the shared database.
    const sent = await send(two.url, ana.token, roomId, [file.id, picture.id], 'both nodes');
    expect(sent.status).toBe(201);
    const history = await api<{ messages: { files: MessageFile[] }[] }>(
      two.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      { token: ben.token },
    );
    const [shownFile, shownPicture] = (history.body.messages.at(-1)?.files ?? []) as [
      MessageFile,
      MessageFile,
    ];

    const whole = await fetch(await signedUrl(two.url, ben.token, shownFile.url as string, file.id));
    expect(whole.status).toBe(200);
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(bytes);
    const part = await fetch(await signedUrl(two.url, ben.token, shownFile.url as string, file.id), {
      headers: { range: 'bytes=1000-1999' },
    });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));
    const thumb = await fetch(
      await signedUrl(two.url, ben.token, shownPicture.thumbUrl as string, picture.id),
    );
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    await thumb.arrayBuffer();

    // A link signed with a grant from one node opens on the other: both derive keys from one secret.
    const crossSigned = await signedUrl(one.url, ben.token, shownFile.url as string, file.id);
    const cross = await fetch(crossSigned.replace(one.url, two.url));
    expect(cross.status).toBe(200);
    await cross.arrayBuffer();

    // Deleted through the node that did not store it: its blobs leave the shared store.
    const seq = (sent.body.message as { seq: number }).seq;
    const deleted = await api(two.url, 'DELETE', `/api/chat/rooms/${roomId}/messages/${seq}`, {
      token: ana.token,
    });
    expect(deleted.status).toBe(200);
    await until('the blobs to leave S3', async () => (await s3.keys()).length === 0);
  });
});
