import { Agent, request } from 'node:http';
import { Histogram, round } from '../stats.js';

/**
 * History: sequential GETs of 50 messages before a cursor, over one keep-alive connection, at three
 * depths of a room with `depth` messages: the newest page, random cursors, and the oldest pages.
 */
export interface HistoryOptions {
  requests: number;
  warmup: number;
  limit: number;
}

export interface HistoryDepth {
  depth: string;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  bytesPerPage: number;
}

function get(
  agent: Agent,
  url: string,
  token: string | undefined,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function runHistory(
  baseUrl: string,
  roomId: string,
  messages: number,
  token: string | undefined,
  options: HistoryOptions,
): Promise<HistoryDepth[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const path = `${baseUrl}/api/chat/rooms/${encodeURIComponent(roomId)}/messages?limit=${options.limit}`;
  const cursors: Record<string, () => number | undefined> = {
    newest: () => undefined,
    random: () => options.limit + 1 + Math.floor(Math.random() * (messages - options.limit)),
    oldest: () => options.limit + 1 + Math.floor(Math.random() * Math.min(1000, messages - options.limit)),
  };
  // Warm the connection, the server's code paths and its page cache, at every depth.
  for (let i = 0; i < options.warmup; i++) {
    const before = i % 2 === 0 ? undefined : cursors.random!();
    await get(agent, before === undefined ? path : `${path}&before=${before}`, token);
  }
  const results: HistoryDepth[] = [];
  for (const [depth, cursor] of Object.entries(cursors)) {
    const histogram = new Histogram();
    let bytes = 0;
    for (let i = 0; i < options.requests; i++) {
      const before = cursor();
      const url = before === undefined ? path : `${path}&before=${before}`;
      const started = performance.now();
      const reply = await get(agent, url, token);
      histogram.record(performance.now() - started);
      if (reply.status !== 200) throw new Error(`history GET ${url} → ${reply.status}`);
      bytes += reply.bytes;
    }
    results.push({
      depth,
      requests: options.requests,
      ...histogram.summary(),
      bytesPerPage: round(bytes / options.requests, 0),
    });
  }
  agent.destroy();
  return results;
}
