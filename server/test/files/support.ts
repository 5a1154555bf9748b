import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { FileGrant, Message, Room, UploadReply } from '@parley/protocol';
import { signFileUrl } from '@parley/protocol';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll } from 'vitest';
import { api, startServer, type TestServer, tempDir } from '../harness.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A real S3-compatible server (s3rver: the S3 REST protocol over HTTP, objects on disk) on port 0. */
export async function startS3(): Promise<{
  env: Record<string, string>;
  keys(): Promise<string[]>;
  close(): Promise<void>;
}> {
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: tempDir('parley-s3-'),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = `parley-${Math.random().toString(36).slice(2, 10)}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    async keys() {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((object) => (object.Key ?? '').replace(/^files\//, '')).sort();
    },
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

/** Every blob key under a disk store's directory. */
export function diskKeys(dataDir: string): string[] {
  const root = path.join(dataDir, 'files');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .flatMap((dir) => fs.readdirSync(path.join(root, dir)))
    .sort();
}

/** Files half-received by this node. */
export function spooled(dataDir: string): string[] {
  const dir = path.join(dataDir, 'uploads');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

export interface Upload {
  name: string;
  type?: string;
  bytes: Uint8Array;
}

/** A multipart upload the way a browser's FormData sends it. */
export async function upload(url: string, token: string, roomId: string, file: Upload) {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const response = await fetch(`${url}/api/chat/rooms/${roomId}/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = (await response.json()) as UploadReply & { code?: string; message?: string };
  return { status: response.status, body };
}

export async function uploaded(url: string, token: string, roomId: string, file: Upload) {
  const reply = await upload(url, token, roomId, file);
  if (reply.status !== 201)
    throw new Error(`upload ${file.name}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.file;
}

export async function grant(url: string, token: string): Promise<FileGrant> {
  return (await api<FileGrant>(url, 'GET', '/api/files/grant', { token })).body;
}

/** A file's URL signed by the client with its own grant, as the web client does. */
export async function signedUrl(
  url: string,
  token: string,
  fileUrl: string,
  fileId: string,
): Promise<string> {
  return url + (await signFileUrl(fileUrl, fileId, await grant(url, token)));
}

export async function newRoom(url: string, owner: string, ...members: string[]): Promise<string> {
  const { body } = await api<{ room: Room }>(url, 'POST', '/api/chat/rooms', {
    token: owner,
    body: { name: `Files ${Math.random().toString(36).slice(2)}`, visibility: 'private' },
  });
  for (const token of members) {
    const me = await api<{ user: { id: string } }>(url, 'GET', '/api/me', { token });
    await api(url, 'POST', `/api/chat/rooms/${body.room.id}/members`, {
      token: owner,
      body: { userId: me.body.user.id },
    });
  }
  return body.room.id;
}

export async function send(url: string, token: string, roomId: string, files: string[], text = '') {
  return api<{ message: Message; code?: string }>(url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
    token,
    body: { text, files },
  });
}

/** A photo as a phone takes it: EXIF orientation 6 (turned a quarter), the maker and a GPS position. */
export function phonePhoto(width = 64, height = 32): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'Parley Phone' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 24/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 21/1 3/1',
      },
    })
    .toBuffer();
}

export function png(width = 40, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 120, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();
}

/** A two-frame animated GIF, 20 × 20. */
export async function animatedGif(): Promise<Buffer> {
  const frame = (r: number) =>
    sharp({ create: { width: 20, height: 20, channels: 3, background: { r, g: 0, b: 0 } } })
      .raw()
      .toBuffer();
  const frames = await Promise.all([frame(255), frame(0)]);
  return sharp(Buffer.concat(frames), { raw: { width: 20, height: 40, channels: 3, pageHeight: 20 } })
    .gif({ loop: 0, delay: [100, 100] })
    .toBuffer();
}

/**
 * A decompression bomb: a 1-bit greyscale PNG of 20,000 × 20,000 pixels, all black, about 50 KB on the
 * wire and 400 million pixels decoded.
 */
export function pngBomb(): Buffer {
  const side = 20_000;
  const row = Buffer.alloc(1 + side / 8); // filter byte + packed bits
  const raw = zlib.deflateSync(Buffer.concat(Array.from({ length: side }, () => row)), { level: 9 });
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', raw),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A fetch's status, with its body read: an unread body would hold the connection (and the server's close) open. */
export async function statusOf(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

/**
 * One server for a describe block, its files on disk or on a fresh s3rver bucket, with uploads capped at
 * 300 KiB; `keys()` lists what the storage holds.
 */
export function useFileServer(storage: 'disk' | 's3') {
  let server: TestServer | undefined;
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  beforeAll(async () => {
    s3 = storage === 's3' ? await startS3() : undefined;
    server = await startServer({ env: { ...s3?.env, UPLOAD_MAX_BYTES: String(300 * 1024) } });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
  });
  return {
    get server(): TestServer {
      if (!server) throw new Error('the file server has not started');
      return server;
    },
    keys: async () => (s3 ? s3.keys() : diskKeys((server as TestServer).dataDir)),
  };
}
