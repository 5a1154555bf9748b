// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.
import type { FileGrant } from './files.js';

// WebCrypto, TextEncoder, btoa and atob exist in browsers and in Node ≥ 20 alike; this package is typed
// for neither platform, so it declares the little it uses.
declare const crypto: {
  subtle: {
    importKey(
      format: 'raw',
      key: Uint8Array,
      algorithm: { name: 'HMAC'; hash: 'SHA-256' },
      extractable: false,
      usages: ['sign'],
    ): Promise<unknown>;
    sign(algorithm: 'HMAC', key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
  };
};
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare function btoa(data: string): string;
declare function atob(data: string): string;

const base64url = (bytes: ArrayBuffer) => {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};
const fromBase64url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (char: string) => char.charCodeAt(0));

/** The signature of one file id under a grant's key: the first 128 bits of HMAC-SHA256, base64url. */
export async function fileSignature(key: string, fileId: string): Promise<string> {
  const imported = await crypto.subtle.importKey(
    'raw',
    fromBase64url(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', imported, new TextEncoder().encode(fileId));
  return base64url(mac.slice(0, 16));
}

/** `url` (a file's `url` or `thumbUrl` as a payload carries it) signed for the grant's viewer. */
export async function signFileUrl(url: string, fileId: string, grant: FileGrant): Promise<string> {
  const bare = url.split('?')[0] as string;
  const signature = await fileSignature(grant.key, fileId);
  return `${bare}?g=${encodeURIComponent(grant.grant)}&s=${signature}`;
}
