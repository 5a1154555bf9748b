import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DomainEventBus } from './domain/events.js';

export interface Metrics {
  registry: Registry;
  sockets: Gauge;
  /** Messages per committed transaction: how well group commit is batching. */
  batchSize: Histogram;
}

/** Prometheus figures at /metrics. One registry per app, so several apps can share a process (tests). */
export function createMetrics(events: DomainEventBus): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const messages = new Counter({
    name: 'parley_messages_total',
    help: 'Messages stored.',
    registers: [registry],
  });
  const sockets = new Gauge({
    name: 'parley_sockets',
    help: 'Connected sockets on this node.',
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'parley_message_batch_size',
    help: 'Messages committed per transaction.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [registry],
  });
  events.on('room.changed', ({ events: changes }) => {
    for (const change of changes) if (change.type === 'new') messages.inc();
  });
  return { registry, sockets, batchSize };
}
