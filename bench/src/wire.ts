import { RawWebSocket } from './rawws.js';

/**
 * A Socket.IO client spoken directly over a raw WebSocket: Engine.IO v4 text frames, no reconnection, no
 * binary, no namespaces. The generator drives thousands of these from one core, so it must cost
 * less than the server it measures: frames are matched by prefix and the `message:new` payload is
 * never JSON-parsed, only scanned for the one field the latency needs.
 */
export interface WireOptions {
  url: string;
  token?: string;
  /** Called with the raw `42[...]` frame of every server event, undecoded. */
  onEvent?: (frame: Buffer) => void;
  timeoutMs?: number;
}

/**
 * How long a connection being set up may take before the scenario fails: on a loaded shared machine a
 * starved server took over a minute to answer some handshakes (BENCH_CONNECT_TIMEOUT_S).
 */
export const setupTimeoutMs = Number(process.env.BENCH_CONNECT_TIMEOUT_S || 180) * 1000;

/** Gets the ack's JSON array text, e.g. `[{"ok":true,...}]`, unparsed. */
type RawAck = (frame: string) => void;

export class Wire {
  private readonly ws: RawWebSocket;
  private readonly acks = new Map<number, RawAck>();
  private nextAck = 1;
  onEvent: ((frame: Buffer) => void) | undefined;
  closed = false;

  private constructor(ws: RawWebSocket, onEvent?: (frame: Buffer) => void) {
    this.ws = ws;
    this.onEvent = onEvent;
  }

  static connect(options: WireOptions): Promise<Wire> {
    const ws = new RawWebSocket(`${options.url}/socket.io/?EIO=4&transport=websocket`);
    const wire = new Wire(ws, options.onEvent);
    return new Promise((resolve, reject) => {
      let connected = false;
      const timer = setTimeout(() => {
        ws.close();
        reject(new Error('connect timeout'));
      }, options.timeoutMs ?? 30_000);
      ws.onClose = (error) => {
        wire.closed = true;
        if (connected) return;
        clearTimeout(timer);
        reject(error ?? new Error('closed during handshake'));
      };
      ws.onMessage = (data) => {
        if (connected) return wire.handle(data);
        const frame = data.toString();
        if (frame.startsWith('0{')) {
          ws.send(options.token ? `40${JSON.stringify({ token: options.token })}` : '40');
        } else if (frame.startsWith('40')) {
          connected = true;
          clearTimeout(timer);
          resolve(wire);
        } else if (frame.startsWith('44')) {
          clearTimeout(timer);
          reject(new Error(`connect_error ${frame.slice(2)}`));
          ws.close();
        }
      };
    });
  }

  private handle(frame: Buffer): void {
    const type = frame[0];
    if (type === 50 /* '2' ping */) {
      this.ws.send('3');
      return;
    }
    if (type !== 52 /* '4' message */) return;
    const packet = frame[1];
    if (packet === 50 /* '2' event */) {
      this.onEvent?.(frame);
    } else if (packet === 51 /* '3' ack */) {
      let id = 0;
      let i = 2;
      for (let digit = frame[i]!; digit >= 48 && digit <= 57; digit = frame[++i]!) id = id * 10 + digit - 48;
      const resolve = this.acks.get(id);
      if (!resolve) return;
      this.acks.delete(id);
      resolve(frame.toString('utf8', i));
    }
  }

  /** Sends an event without waiting for anything. */
  emit(event: string, payload: unknown): void {
    this.ws.send(`42${JSON.stringify([event, payload])}`);
  }

  /** Sends an event with an ack id and resolves with the server's ack argument. */
  request<T = unknown>(event: string, payload: unknown): Promise<T> {
    const id = this.nextAck++;
    return new Promise((resolve) => {
      this.acks.set(id, (frame) => resolve((JSON.parse(frame) as T[])[0]!));
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** Sends an event with an ack id; the callback gets the ack's JSON text, unparsed. */
  requestRaw(event: string, payload: unknown, onAck: RawAck): void {
    const id = this.nextAck++;
    this.acks.set(id, onAck);
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  close(): void {
    this.closed = true;
    this.ws.close();
  }
}

/** Whether an ack's JSON text says `ok: true`, parsing only when the cheap check is inconclusive. */
export function ackOk(frame: string): boolean {
  if (frame.startsWith('[{"ok":true')) return true;
  if (frame.startsWith('[{"ok":false')) return false;
  return (JSON.parse(frame) as { ok?: boolean }[])[0]?.ok === true;
}

/**
 * Finds `"<field>":"<letter>` in a raw frame and returns the offset just past it, or -1. The
 * generator's clientIds are `<letter><digits>.<digits>`, read with `readInt` from there.
 */
export function findField(frame: Buffer, needle: Buffer): number {
  const at = frame.indexOf(needle);
  return at < 0 ? -1 : at + needle.length;
}

/** Reads a non-negative decimal integer at `offset`; returns it and the offset of the next byte. */
export function readInt(frame: Buffer, offset: number): [number, number] {
  let value = 0;
  let i = offset;
  for (let digit = frame[i]!; digit >= 48 && digit <= 57; digit = frame[++i]!)
    value = value * 10 + digit - 48;
  return [value, i];
}

/** Opens many sockets with bounded concurrency, so the handshake storm does not time out. */
export async function connectMany(
  count: number,
  concurrency: number,
  options: (index: number) => WireOptions,
): Promise<Wire[]> {
  const wires: Wire[] = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const index = next++;
      wires[index] = await Wire.connect(options(index));
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return wires;
}
