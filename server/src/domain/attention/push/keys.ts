import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../../config.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/**
 * The server's VAPID keys, which browsers tie their subscriptions to. From the environment when set
 * (several nodes must share them); on one node without them, generated once into DATA_DIR like the
 * token secret. On PostgreSQL without them there is no key every node would agree on: push is off.
 */
export async function loadVapidKeys(
  config: Config,
  warn: (message: string) => void,
): Promise<VapidKeys | undefined> {
  const { vapidPublicKey, vapidPrivateKey, vapidSubject: subject } = config.attention;
  if (vapidPublicKey && vapidPrivateKey) {
    // Fails at start-up, not at the first push, when the pair is malformed. (Otherwise web-push is
    // loaded by the first push, not at start-up.)
    const { default: webpush } = await import('web-push');
    webpush.setVapidDetails(subject, vapidPublicKey, vapidPrivateKey);
    return { publicKey: vapidPublicKey, privateKey: vapidPrivateKey, subject };
  }
  if (vapidPublicKey || vapidPrivateKey)
    throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together');
  if (config.databaseUrl) {
    warn(
      'Web Push is off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (the same on every node) to turn it on',
    );
    return undefined;
  }
  const file = path.join(config.dataDir, 'vapid.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
    return { ...stored, subject };
  }
  const keys = newVapidKeys();
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return { ...keys, subject };
}

/**
 * What web-push's generateVAPIDKeys makes — a P-256 pair as the uncompressed public point (0x04, x, y)
 * and the 32-byte private scalar, base64url — from node:crypto, so that a first start does not load
 * web-push and its ASN.1 and big-number modules for one key pair. JWK coordinates are always full
 * length, so no padding is needed.
 */
function newVapidKeys(): { publicKey: string; privateKey: string } {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x ?? '', 'base64url'),
    Buffer.from(jwk.y ?? '', 'base64url'),
  ]);
  return { publicKey: point.toString('base64url'), privateKey: jwk.d ?? '' };
}
