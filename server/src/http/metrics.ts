import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { errorBody } from './errors.js';
import type { App } from './types.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** METRICS_TOKEN, when set, as `Authorization: Bearer …`; compared in constant time. */
function allowed(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

export interface MetricsEndpoint {
  listen(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Prometheus at /metrics. Its figures (rooms, sockets, sends) are for the operator, not the public: a
 * bearer token (METRICS_TOKEN) guards it, and METRICS_PORT moves it off the public port onto one a
 * firewall keeps to the monitoring network.
 */
export function metricsEndpoint(app: App, config: Config, metrics: Metrics): MetricsEndpoint {
  const { metricsToken: token, metricsPort: port } = config;
  if (port === undefined) {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!allowed(token, request.headers.authorization))
        return reply
          .status(401)
          .send(errorBody('unauthorized', 'The metrics need METRICS_TOKEN as a bearer token.'));
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    return { listen: async () => {}, close: async () => {} };
  }
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (!allowed(token, request.headers.authorization)) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(errorBody('unauthorized', 'The metrics need METRICS_TOKEN as a bearer token.')),
      );
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, config.host, () => {
          const address = server.address();
          app.log.info(
            `metrics are on http://${config.host}:${typeof address === 'object' ? address?.port : port}/metrics`,
          );
          resolve();
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
