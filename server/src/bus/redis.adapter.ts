import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Namespace } from 'socket.io';

type Adapter = Namespace['adapter'];

// While Redis is down, broadcasts wait in the client's offline queue and reach the other nodes when it
// is back. Past this many, they are dropped: clients on other nodes get them from `sync` instead.
const maxBacklog = 10_000;
// How long this node's own clients may wait for Redis to take a broadcast before they get it anyway.
const publishWaitMs = 1_000;

interface Publishing {
  doPublish(message: unknown): Promise<string>;
}

/**
 * The Socket.IO Redis streams adapter, changed in one respect. Out of the box, a node delivers a
 * broadcast to its own sockets only after Redis has stored it; while Redis is down that is never, and
 * the node would go silent for its own clients. Here local delivery waits at most `publishWaitMs` (not
 * at all while Redis is known to be down), in the order the broadcasts were made, and the XADD stays
 * queued so the other nodes, reading the stream from their last offset, catch up when Redis returns.
 */
export function streamsAdapter(publisher: Redis, prefix: string) {
  const readers: Redis[] = [];
  const adapters = new Set<Adapter>();
  let create: ReturnType<typeof createAdapter> | undefined;
  let backlog = 0;
  let inOrder: Promise<unknown> = Promise.resolve();

  // The adapter duplicates the publisher for its blocking XREAD and its subscriptions; keep them, to
  // disconnect them on close instead of waiting out a blocked read.
  const duplicate = publisher.duplicate.bind(publisher);
  publisher.duplicate = (...args: Parameters<Redis['duplicate']>) => {
    const reader = duplicate(...args);
    readers.push(reader);
    // The adapter fires SUBSCRIBE without handling its promise, so a node closed (or cut off) before
    // Redis answers would leave an unhandled rejection. ioredis resubscribes by itself on reconnect.
    const subscribe = reader.subscribe.bind(reader) as (...channels: unknown[]) => Promise<unknown>;
    reader.subscribe = ((...channels: unknown[]) => {
      const subscribed = subscribe(...channels);
      subscribed.catch(() => {});
      return subscribed;
    }) as Redis['subscribe'];
    return reader;
  };

  function nonBlocking(adapter: Adapter): void {
    const target = adapter as unknown as Publishing;
    const publish = target.doPublish.bind(adapter);
    target.doPublish = (message) => {
      const up = publisher.status === 'ready';
      if (!up && backlog >= maxBacklog) return inOrder.then(() => '');
      backlog += 1;
      const sent = publish(message).finally(() => {
        backlog -= 1;
      });
      // A broadcast Redis never took is for the other nodes' clients to `sync`, not an error here.
      sent.catch(() => {});
      const settled = up ? withDeadline(sent, publishWaitMs) : Promise.resolve('');
      const released = inOrder.then(() => settled);
      inOrder = released;
      return released;
    };
  }

  // Socket.IO calls the adapter with `new`: a plain function returning an object is what it needs.
  function adapter(nsp: Namespace): Adapter {
    create ??= createAdapter(publisher, {
      streamName: `${prefix}socket.io`,
      channelPrefix: `${prefix}socket.io`,
      sessionKeyPrefix: `${prefix}sio:session:`,
    });
    const made = create(nsp);
    nonBlocking(made);
    adapters.add(made);
    return made;
  }

  return {
    adapter,
    close(): void {
      // Closing the last namespace's adapter stops the stream readers' loop; then drop their sockets.
      for (const adapter of adapters) adapter.close();
      for (const reader of readers) reader.disconnect();
    },
  };
}

function withDeadline(sent: Promise<string>, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms, '');
    sent.then(
      (offset) => resolve(offset),
      () => resolve(''),
    );
    sent.finally(() => clearTimeout(timer)).catch(() => {});
  });
}
