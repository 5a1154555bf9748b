import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { errorBody } from './errors.js';
import type { App } from './types.js';

const placeholder = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Parley</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto">
<h1>Parley is running</h1><p>The web client has not been built. Run <code>npm start</code> from the repository
root, which builds it, or use the API: <a href="/docs">/docs</a>.</p></body></html>`;

/** Serves the built web client at / with a fallback to index.html for client-side routes. */
export async function webClient(app: App, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  const built = fs.existsSync(index);
  // wildcard: files are looked up per request, so a rebuilt client's new asset names are served
  // without restarting; a miss falls through to the not-found handler below.
  if (built) await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] });
  else
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html').send(placeholder),
    );

  app.setNotFoundHandler(async (req, reply) => {
    const wantsPage =
      req.method === 'GET' && !req.url.startsWith('/api/') && req.headers.accept?.includes('text/html');
    if (built && wantsPage) return reply.type('text/html').send(await fs.promises.readFile(index));
    return reply.status(404).send(errorBody('not_found', `No route ${req.method} ${req.url.split('?')[0]}.`));
  });
}
