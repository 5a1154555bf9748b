import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import fastifyHelmet from '@fastify/helmet';
import type { App } from './types.js';

/**
 * The server URL the served client is told to use (web/public/config.js, editable on a deployed copy):
 * the page may connect there. Read again when the file changes; an empty one means this origin.
 */
function configuredServer(webDir: string): () => string[] {
  const file = path.join(webDir, 'config.js');
  let seen = -1;
  let origins: string[] = [];
  return () => {
    let mtime = 0;
    try {
      mtime = fs.statSync(file).mtimeMs;
    } catch {
      return [];
    }
    if (mtime !== seen) {
      seen = mtime;
      const url = /serverUrl\s*:\s*['"`]([^'"`]*)['"`]/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? '';
      origins = [];
      try {
        if (url) {
          const { protocol, host } = new URL(url);
          origins = [`${protocol}//${host}`, `${protocol === 'https:' ? 'wss' : 'ws'}://${host}`];
        }
      } catch {
        // Not a URL: the client could not use it either.
      }
    }
    return origins;
  };
}

/**
 * Security headers on every response (@fastify/helmet: the maintained Fastify port of helmet, ~2.8 M
 * downloads a week). The web client runs under a strict Content-Security-Policy: scripts from this
 * origin only (no inline script, no eval), connections to this origin (its WebSocket included, which
 * older Safari does not count as 'self') and to the server config.js names, never framed. Styles may
 * be inline: React and the emoji picker set style attributes. Files are fetched cross-origin by a
 * client hosted elsewhere, so the resource policy allows that (each file link is signed anyway).
 * HSTS is the HTTPS proxy's to send (README, "Running it for real"): Parley itself speaks plain HTTP.
 */
export async function securityHeaders(app: App, webDir: string): Promise<void> {
  const server = configuredServer(webDir);
  const sameHostSockets = (req: IncomingMessage) => {
    const host = req.headers.host;
    return host && /^[\w.:[\]-]+$/.test(host) ? `ws://${host} wss://${host}` : '';
  };
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", sameHostSockets, () => server().join(' ')],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    // What frame-ancestors 'none' says, for browsers that only know the older header.
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
  });
  // API answers are private and some carry tokens: never kept by a browser or a proxy cache. A route
  // that says how to cache (file downloads) keeps its own header.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
  });
}
