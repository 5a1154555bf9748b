import { afterAll, beforeAll } from 'vitest';
import { type ClientSocket, connect } from '../harness.js';
import { type Node, startNodes, ThrowawayRedis } from './cluster.js';

/**
 * Two nodes whose Redis is a throwaway of the test's own (so it may stop it), started before the
 * describe's tests and stopped after them with every socket opened through `open`. Call inside a
 * describe.
 */
export function twoNodesOnOwnRedis(env: Record<string, string> = {}) {
  let redis: ThrowawayRedis | undefined;
  let cluster: Awaited<ReturnType<typeof startNodes>> | undefined;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    cluster = await startNodes(2, { REDIS_URL: redis.url, ...env });
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
    await redis?.stop();
  });
  return {
    get redis() {
      return redis as ThrowawayRedis;
    },
    get nodes() {
      return cluster?.nodes as [Node, Node];
    },
    async open(node: Node, token: string) {
      const socket = await connect(node.url, token);
      sockets.push(socket);
      return socket;
    },
  };
}
