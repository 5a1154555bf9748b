import { createECDH, createPublicKey, hkdfSync, createDecipheriv, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PushPayload } from '@parley/protocol';

/** What the push service received for one subscription, decrypted. */
export interface Delivered {
  payload: PushPayload;
  headers: http.IncomingHttpHeaders;
  /** The VAPID token's claims, after its signature checked out against the key in the header. */
  claims: { aud: string; exp: number; sub: string };
}

export interface TestSubscription {
  id: string;
  body: { endpoint: string; keys: { p256dh: string; auth: string } };
  received: Delivered[];
  /** The status this subscription's pushes are answered with (201 by default; 410 when gone). */
  status: number;
}

const b64 = (buffer: Buffer) => buffer.toString('base64url');
const label = (text: string) => Buffer.from(`${text}\0`, 'utf8');

/** RFC 8291 (Web Push message encryption) over RFC 8188's aes128gcm, as a browser decrypts. */
function decrypt(body: Buffer, ua: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const serverKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const uaPublic = ua.getPublicKey();
  const secret = ua.computeSecret(serverKey);
  const keyInfo = Buffer.concat([label('WebPush: info'), uaPublic, serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, label('Content-Encoding: aes128gcm'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, label('Content-Encoding: nonce'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end);
}

/** Checks `Authorization: vapid t=JWT, k=KEY` (RFC 8292): an ES256 token signed by that key. */
function vapidClaims(header: string | undefined, origin: string): Delivered['claims'] {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`no VAPID authorization: ${header}`);
  const [head, claims, signature] = (match[1] as string).split('.') as [string, string, string];
  const point = Buffer.from(match[2] as string, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('VAPID signature does not verify');
  const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Delivered['claims'];
  if (parsed.aud !== origin) throw new Error(`VAPID audience ${parsed.aud}, expected ${origin}`);
  if (parsed.exp * 1000 < Date.now()) throw new Error('VAPID token expired');
  return parsed;
}

/**
 * A push service on the loopback interface, as the browser vendors run one: it takes the encrypted
 * POST for a subscription's endpoint, checks the VAPID token and decrypts the payload with the keys
 * the "browser" (this test) made when it subscribed.
 */
export async function startPushService() {
  const subscriptions = new Map<
    string,
    TestSubscription & { ua: ReturnType<typeof createECDH>; auth: Buffer }
  >();
  const errors: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = req.url?.split('/').at(-1) ?? '';
      const subscription = subscriptions.get(id);
      if (!subscription || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
        if (!req.headers.ttl) throw new Error('no TTL');
        const claims = vapidClaims(req.headers.authorization, origin);
        const payload = JSON.parse(
          decrypt(Buffer.concat(chunks), subscription.ua, subscription.auth).toString(),
        );
        if (subscription.status < 300) subscription.received.push({ payload, headers: req.headers, claims });
        res.writeHead(subscription.status).end();
      } catch (error) {
        errors.push(String(error));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    errors,
    /** A new browser subscription: its own key pair and auth secret. */
    subscribe(): TestSubscription {
      const ua = createECDH('prime256v1');
      ua.generateKeys();
      const auth = randomBytes(16);
      const id = randomBytes(8).toString('hex');
      const subscription = {
        id,
        body: { endpoint: `${origin}/push/${id}`, keys: { p256dh: b64(ua.getPublicKey()), auth: b64(auth) } },
        received: [],
        status: 201,
        ua,
        auth,
      };
      subscriptions.set(id, subscription);
      return subscription;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
