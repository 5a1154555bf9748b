import { connectMany, type Wire, setupTimeoutMs } from './wire.js';

/**
 * A generator child that holds a share of the idle sockets. A process may open at most `ulimit -n`
 * descriptors (20,000 on the bench machine, and not raisable there), so 20,000 sockets need more than
 * one generator process. It inherits the generator's core; the parent sends the share and the tokens.
 */
interface Share {
  type: 'connect';
  url: string;
  tokens: (string | undefined)[];
  concurrency: number;
  /** A baseline's room for each socket, joined after connecting (Parley joins on connect). */
  rooms?: string[];
}

let wires: Wire[] = [];
process.on('message', async (message: Share | { type: 'close' }) => {
  if (message.type === 'close') {
    for (const wire of wires) wire.close();
    setTimeout(() => process.exit(0), 200);
    return;
  }
  const started = performance.now();
  try {
    wires = await connectMany(message.tokens.length, message.concurrency, (i) => ({
      url: message.url,
      token: message.tokens[i],
      timeoutMs: setupTimeoutMs,
    }));
    const rooms = message.rooms;
    if (rooms) await Promise.all(wires.map((wire, i) => wire.request('room:join', { roomId: rooms[i] })));
    process.send?.({ type: 'connected', ms: performance.now() - started });
  } catch (error) {
    process.send?.({ type: 'failed', error: String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
