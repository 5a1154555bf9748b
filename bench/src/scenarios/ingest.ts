import { Histogram, round, sleep } from '../stats.js';
import {
  awaitQuiet,
  coreTimes,
  foreignLoadPct,
  mb,
  processCpuMicros,
  processRss,
  selfCpuMicros,
} from '../proc.js';
import type { RunningServer } from '../targets.js';
import { ackOk, connectMany } from '../wire.js';
import { tokenOf, type World } from '../world.js';

/**
 * Durable ingest: 2·P senders, two to a DM room, each keeping `window` sends in flight (closed
 * loop). An ack is Parley's promise that the message is committed, so acked/s is the durable rate
 * and the ack latency includes the commit (and whatever group commit waits for).
 */
export interface IngestOptions {
  /**
   * What each sender does: new messages (the default), edits of one message of its own, or reactions
   * on it toggled on and off (each window slot its own emoji, so every operation changes something).
   */
  op?: 'send' | 'edit' | 'react';
  pairs: number;
  window: number;
  seconds: number;
  warmupSeconds: number;
  quietWaitMs: number;
  text: string;
}

export interface IngestResult {
  senders: number;
  window: number;
  acked: number;
  failed: number;
  ackedPerSec: number;
  p50: number;
  p99: number;
  max: number;
  serverCpuUsPerMessage: number;
  serverCpuPct: number;
  serverRssMb: number;
  generatorCpuPct: number;
  /** Other processes' load on [server core, generator core], in %. */
  foreignPct: number[];
  quietWaitMs: number;
  firstError?: string;
}

/** With `nodes` (a cluster), sender j connects to node `j % nodes`: each DM's pair spans two nodes. */
export async function runIngest(
  server: RunningServer,
  world: World,
  options: IngestOptions,
  nodes: RunningServer[] = [server],
): Promise<IngestResult> {
  const quiet = await awaitQuiet(server.pid, options.quietWaitMs);
  const senders = options.pairs * 2;
  const cpuOfNodes = () => nodes.reduce((sum, node) => sum + processCpuMicros(node.pid), 0);
  const wires = await connectMany(senders, 64, (j) => ({
    url: nodes[j % nodes.length]!.url,
    token: tokenOf(world, j),
  }));
  const roomOf = (j: number) => world.dms[Math.floor(j / 2)]!;
  if (world.joinOnConnect)
    await Promise.all(wires.map((wire, j) => wire.request('room:join', { roomId: roomOf(j) })));
  const op = options.op ?? 'send';
  // Edits and reactions need a message of the sender's own to change.
  const targetSeq =
    op === 'send'
      ? []
      : await Promise.all(
          wires.map(async (wire, j) => {
            const reply = await wire.request<{ message?: { seq: number } }>('message:send', {
              roomId: roomOf(j),
              text: options.text,
              clientId: `t${j}-${Date.now()}`,
            });
            if (!reply.message)
              throw new Error(`changes: the seed message was refused: ${JSON.stringify(reply)}`);
            return reply.message.seq;
          }),
        );
  const emoji = ['👍', '🎉', '❤️', '😂', '🔥', '👀', '✅', '🙏'];
  const operation = (j: number, slot: number, k: number): [string, unknown] => {
    if (op === 'edit')
      return ['message:edit', { roomId: roomOf(j), seq: targetSeq[j], text: `${options.text} (${k})` }];
    if (op === 'react')
      return [
        'reaction',
        { roomId: roomOf(j), seq: targetSeq[j], emoji: emoji[slot % emoji.length], on: k % 2 === 0 },
      ];
    return ['message:send', { roomId: roomOf(j), text: options.text, clientId: `i${counter++}` }];
  };
  await sleep(300);

  let measuring = false;
  let running = true;
  let acked = 0;
  let failed = 0;
  let firstError: string | undefined;
  let histogram = new Histogram();
  let counter = 0;
  const send = (j: number, slot: number, k = 0) => {
    if (!running) return;
    const sentAt = performance.now();
    const [event, payload] = operation(j, slot, k);
    wires[j]!.requestRaw(event, payload, (reply) => {
      const ok = ackOk(reply);
      if (measuring) {
        if (ok) {
          acked++;
          histogram.record(performance.now() - sentAt);
        } else {
          failed++;
          firstError ??= reply.slice(0, 200);
        }
      }
      send(j, slot, k + 1);
    });
  };
  for (let j = 0; j < senders; j++) for (let w = 0; w < options.window; w++) send(j, w);
  await sleep(options.warmupSeconds * 1000);
  histogram = new Histogram();
  measuring = true;
  const cpu0 = cpuOfNodes();
  const self0 = selfCpuMicros();
  const cores0 = coreTimes();
  const t0 = performance.now();
  await sleep(options.seconds * 1000);
  measuring = false;
  const wallMs = performance.now() - t0;
  const cpuUs = cpuOfNodes() - cpu0;
  const selfUs = selfCpuMicros() - self0;
  const serverPct = (cpuUs / 1000 / wallMs) * 100;
  const generatorPct = (selfUs / 1000 / wallMs) * 100;
  const foreignPct = foreignLoadPct(cores0, coreTimes(), [serverPct, generatorPct]);
  running = false;
  const rss = processRss(server.pid);
  await sleep(500);
  for (const wire of wires) wire.close();
  return {
    senders,
    window: options.window,
    acked,
    failed,
    ackedPerSec: round(acked / (wallMs / 1000), 0),
    ...histogram.summary(),
    serverCpuUsPerMessage: round(cpuUs / Math.max(1, acked), 1),
    serverCpuPct: round(serverPct, 0),
    serverRssMb: mb(rss),
    generatorCpuPct: round(generatorPct, 0),
    foreignPct,
    quietWaitMs: quiet.waitedMs,
    ...(firstError ? { firstError } : {}),
  };
}
