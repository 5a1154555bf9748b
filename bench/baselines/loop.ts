import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The event-loop delay as Parley's `/metrics` names it (bench/src/scrape.ts reads it): how late a
 * timer due every 10 ms ran, beyond its schedule, by quantile since the last scrape. A baseline serves
 * it so a scenario can set its worst stall beside Parley's.
 */
const resolutionMs = 10;
const loop = monitorEventLoopDelay({ resolution: resolutionMs });
loop.enable();

/** The delay in seconds by quantile (1 = max) since the last call, which starts the next window. */
export function loopDelay(): { p50: number; p99: number; max: number } {
  const late = (ns: number) => (loop.count === 0 ? 0 : Math.max(0, ns / 1e6 - resolutionMs) / 1000);
  const delay = { p50: late(loop.percentile(50)), p99: late(loop.percentile(99)), max: late(loop.max) };
  loop.reset();
  return delay;
}

export function loopMetrics(): string {
  const { p50, p99, max } = loopDelay();
  return (
    `parley_event_loop_delay_seconds{quantile="0.5"} ${p50}\n` +
    `parley_event_loop_delay_seconds{quantile="0.99"} ${p99}\n` +
    `parley_event_loop_delay_seconds{quantile="1"} ${max}\n` +
    `parley_active_handles ${process.getActiveResourcesInfo().length}\n`
  );
}
