import { round } from './stats.js';

/**
 * The server's own event-loop figures from `/metrics` (issue 16): delay beyond schedule by quantile since
 * the previous scrape (the server resets them on every scrape), so scraping right before and right after
 * a phase gives that phase's p50, p99 and max.
 */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  activeHandles: number;
}

export async function scrapeLoop(url: string): Promise<LoopDelay> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  const value = (pattern: RegExp) => {
    const match = pattern.exec(text);
    return match ? Number(match[1]) : Number.NaN;
  };
  const quantile = (q: string) =>
    round(value(new RegExp(`^parley_event_loop_delay_seconds\\{quantile="${q}"\\} (\\S+)$`, 'm')) * 1000, 1);
  return {
    p50Ms: quantile('0.5'),
    p99Ms: quantile('0.99'),
    maxMs: quantile('1'),
    activeHandles: value(/^parley_active_handles (\S+)$/m),
  };
}

/** Whether the server answers /metrics with the event-loop figures (a baseline does not). */
export async function hasLoopMetrics(url: string): Promise<boolean> {
  try {
    return Number.isFinite((await scrapeLoop(url)).p99Ms);
  } catch {
    return false;
  }
}

/**
 * Group commit's totals from `/metrics`: messages committed and transactions so far (undefined from a
 * server that does not export them). The difference of two scrapes gives a phase's mean batch size.
 */
export async function scrapeBatches(url: string): Promise<{ messages: number; commits: number } | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const messages = /^parley_message_batch_size_sum (\S+)$/m.exec(text);
    const commits = /^parley_message_batch_size_count (\S+)$/m.exec(text);
    return messages && commits ? { messages: Number(messages[1]), commits: Number(commits[1]) } : undefined;
  } catch {
    return undefined;
  }
}
