import type { IncomingMessage, ServerResponse } from 'node:http';
import { loopMetrics } from './loop.js';

/**
 * The baselines keep history in a plain array per room: no storage, so the history scenario's
 * baseline figure is the floor of an HTTP round trip that serializes 50 messages.
 */
export interface BaselineMessage {
  id: string;
  roomId: string;
  seq: number;
  author: { id: string; username: string };
  text: string;
  clientId?: string;
  createdAt: string;
}

export class MemoryHistory {
  private readonly rooms = new Map<string, BaselineMessage[]>();
  private readonly seqs = new Map<string, number>();
  private nextId = 1;

  /** Builds the next live message of a room. Live traffic is not kept: fanout runs must not grow memory. */
  next(roomId: string, author: BaselineMessage['author'], text: string, clientId?: string): BaselineMessage {
    const seq = (this.seqs.get(roomId) ?? 0) + 1;
    this.seqs.set(roomId, seq);
    return {
      id: String(this.nextId++),
      roomId,
      seq,
      author,
      text,
      clientId,
      createdAt: new Date().toISOString(),
    };
  }

  fill(roomId: string, count: number): void {
    const log: BaselineMessage[] = [];
    const author = { id: 'filler', username: 'filler' };
    const createdAt = new Date().toISOString();
    for (let seq = 1; seq <= count; seq++) {
      log.push({ id: `h${seq}`, roomId, seq, author, text: `history message ${seq}`, createdAt });
    }
    this.rooms.set(roomId, log);
  }

  /**
   * Serves GET /metrics (the event-loop delay), GET /api/chat/rooms/:id/messages?before=&limit= and
   * POST /bench/fill?room=&count=.
   */
  handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://baseline');
    if (url.pathname === '/healthz') {
      response.end('ok');
      return;
    }
    if (url.pathname === '/metrics') {
      response.end(loopMetrics());
      return;
    }
    if (request.method === 'POST' && url.pathname === '/bench/fill') {
      this.fill(url.searchParams.get('room') ?? 'history', Number(url.searchParams.get('count') ?? 0));
      response.end('{}');
      return;
    }
    const match = /^\/api\/chat\/rooms\/([^/]+)\/messages$/.exec(url.pathname);
    if (!match) {
      response.statusCode = 404;
      response.end('{}');
      return;
    }
    const log = this.rooms.get(decodeURIComponent(match[1]!)) ?? [];
    const limit = Math.min(200, Number(url.searchParams.get('limit') ?? 50));
    const before = Number(url.searchParams.get('before') ?? log.length + 1);
    // Seqs are 1..n with no gaps, so the page is an index range.
    const end = Math.max(0, Math.min(log.length, before - 1));
    const start = Math.max(0, end - limit);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ messages: log.slice(start, end), hasMore: start > 0 }));
  }
}
