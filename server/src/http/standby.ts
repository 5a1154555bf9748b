import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../config.js';
import { errorBody } from './errors.js';

export interface StartupLog {
  info(message: string): void;
}

export interface Standby {
  /** The port it holds, which the app takes over (PORT=0 picks one). */
  readonly port: number;
  /** Start-up is waiting for PostgreSQL: /readyz says so, with the reason. */
  waitingForDatabase(reason: string): void;
  /** The database is open; what is left (the bus, the routes) takes a moment. */
  databaseOpen(): void;
  /** Frees the port for the app, dropping any connection still open. */
  close(): Promise<void>;
}

/**
 * The node's port while it starts: a load balancer or orchestrator sees a live process that is not
 * ready yet, rather than a refused connection, however long the database keeps it waiting. /healthz
 * answers live, /readyz 503 with what start-up is waiting for, and anything else — a request or a
 * socket's upgrade — 503 `unavailable` in the API's error shape.
 *
 * A plain node:http server closed just before the app listens on the same port, rather than Fastify
 * started early: the routes need the open database to be registered, and Fastify allows no route
 * after it listens. The hand-over leaves the port unbound for the moment between one close and the
 * next bind (no await in between), which a probe's next try covers.
 */
export async function openStandby(config: Config, log: StartupLog): Promise<Standby> {
  let database: 'starting' | 'down' = 'starting';
  let message = 'Parley is starting.';

  const send = (response: http.ServerResponse, status: number, body: unknown) => {
    // Nothing kept alive: the next request must reach whichever server holds the port by then.
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
    response.end(JSON.stringify(body));
  };
  const server = http.createServer((request, response) => {
    const route = request.url?.split('?')[0];
    if (route === '/healthz') return send(response, 200, { ok: true });
    const unavailable = errorBody('unavailable', message);
    if (route === '/readyz')
      return send(response, 503, { ...unavailable, checks: { database, bus: 'starting' } });
    send(response, 503, unavailable);
  });
  // A WebSocket upgrade (Socket.IO) gets the same 503 on its raw socket: the client retries.
  server.on('upgrade', (_request, socket: Duplex) => {
    const body = JSON.stringify(errorBody('unavailable', message));
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info(
    `Parley is starting on http://${config.host}:${port}: /healthz answers, everything else 503 until it is ready`,
  );

  return {
    port,
    waitingForDatabase(reason) {
      database = 'down';
      message = `Waiting for the database: ${reason}`;
    },
    databaseOpen() {
      database = 'starting';
      message = 'Parley is starting: the database is open.';
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
