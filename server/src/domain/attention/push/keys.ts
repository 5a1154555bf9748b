import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
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
export function loadVapidKeys(config: Config, warn: (message: string) => void): VapidKeys | undefined {
  const { vapidPublicKey, vapidPrivateKey, vapidSubject: subject } = config.attention;
  if (vapidPublicKey && vapidPrivateKey) {
    // Fails at start-up, not at the first push, when the pair is malformed.
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
  const keys = webpush.generateVAPIDKeys();
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return { ...keys, subject };
}
