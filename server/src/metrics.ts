import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DomainEventBus } from './domain/events.js';

export interface Metrics {
  registry: Registry;
  sockets: Gauge;
  /** Messages per committed transaction: how well group commit is batching. */
  batchSize: Histogram;
  /** `presence:changed` frames sent. */
  presenceFrames: Counter;
  /** Stops the event-loop monitor. */
  close(): void;
}

const loopResolutionMs = 10;

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
  const presenceFrames = new Counter({
    name: 'parley_presence_frames_total',
    help: 'presence:changed frames sent to sockets (at most one per socket per presence window).',
    registers: [registry],
  });
  const loop = eventLoopGauges(registry);
  events.on('room.changed', ({ events: changes }) => {
    for (const change of changes) if (change.type === 'new') messages.inc();
  });
  return { registry, sockets, batchSize, presenceFrames, close: () => loop.disable() };
}

/**
 * How late the event loop ran a timer that should have fired every 10 ms: p50, p99 and max since the
 * previous scrape, and the max since start. A delay is time every socket on the node waited; past
 * 100 ms it is a stall a user notices. The default `nodejs_eventloop_lag_*` figures include the 10 ms
 * interval itself; these do not.
 */
function eventLoopGauges(registry: Registry) {
  const loop = monitorEventLoopDelay({ resolution: loopResolutionMs });
  loop.enable();
  let maxSinceStart = 0;
  const late = (ns: number) => Math.max(0, ns / 1e6 - loopResolutionMs) / 1000;
  new Gauge({
    name: 'parley_event_loop_delay_seconds',
    help: 'Event-loop delay beyond schedule since the last scrape, by quantile (1 = max).',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      const empty = loop.count === 0;
      const max = empty ? 0 : late(loop.max);
      maxSinceStart = Math.max(maxSinceStart, max);
      this.set({ quantile: '0.5' }, empty ? 0 : late(loop.percentile(50)));
      this.set({ quantile: '0.99' }, empty ? 0 : late(loop.percentile(99)));
      this.set({ quantile: '1' }, max);
      loop.reset();
    },
  });
  new Gauge({
    name: 'parley_event_loop_delay_max_seconds',
    help: 'The longest event-loop delay beyond schedule since the node started (as of the last scrape).',
    registers: [registry],
    collect() {
      this.set(maxSinceStart);
    },
  });
  new Gauge({
    name: 'parley_active_handles',
    help: 'Handles and requests keeping the event loop alive (sockets, timers, files).',
    registers: [registry],
    collect() {
      this.set(process.getActiveResourcesInfo().length);
    },
  });
  return loop;
}
