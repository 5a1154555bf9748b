import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Config } from '../config.js';
import type { Auth } from '../domain/accounts/sessions.js';
import { channel, type IO, type ParleySocket } from './types.js';

type EngineSocket = ParleySocket['conn'] & { request: IncomingMessage };
const pendingIp = Symbol('parley.pendingIp');

/** The client's address, believing the same proxies Fastify does (TRUST_PROXY). */
function clientAddress(config: Config, request: IncomingMessage): string {
  const trust = config.trustProxy;
  if (trust === false) return request.socket.remoteAddress ?? '';
  const check =
    typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return proxyAddr(request, check);
}

/**
 * Caps on connections, per node: sockets per user (a script opening thousands of tabs), connections not
 * yet signed in per address, and the time a connection may take to sign in (Socket.IO's connect
 * timeout closes it). Connections are a node's own resource (memory, file descriptors), so they are
 * counted where they are held.
 */
export class ConnectionLimits {
  readonly #config: Config;
  readonly #pendingByIp = new Map<string, number>();
  readonly #handshakesByUser = new Map<string, number>();

  constructor(config: Config) {
    this.#config = config;
  }

  /** Engine.IO's allowRequest: refuses a new connection from an address with too many unsigned ones. */
  readonly allowRequest = (
    request: IncomingMessage,
    answer: (message: string | null, ok: boolean) => void,
  ) => {
    const ip = clientAddress(this.#config, request);
    const pending = this.#pendingByIp.get(ip) ?? 0;
    if (pending >= this.#config.maxPendingSocketsPerIp)
      answer('too many connections from this address', false);
    else answer(null, true);
  };

  /** Counts every new Engine.IO connection as pending until it signs in or closes. */
  watch(io: IO): void {
    io.engine.on('connection', (raw: EngineSocket) => {
      const ip = clientAddress(this.#config, raw.request);
      (raw as unknown as Record<symbol, string>)[pendingIp] = ip;
      this.#pendingByIp.set(ip, (this.#pendingByIp.get(ip) ?? 0) + 1);
      raw.once('close', this.#settleOnClose);
    });
  }

  /** One listener for every pending connection, removed once it signs in: a signed-in socket keeps none. */
  readonly #settleOnClose = (() => {
    const limits = this;
    return function (this: EngineSocket) {
      limits.#settle(this);
    };
  })();

  /** The connection signed in: it no longer counts against its address. */
  signedIn(socket: ParleySocket): void {
    this.#settle(socket.conn as EngineSocket);
  }

  #settle(raw: EngineSocket): void {
    const holder = raw as unknown as Record<symbol, string | undefined>;
    const ip = holder[pendingIp];
    if (ip === undefined) return;
    holder[pendingIp] = undefined;
    raw.removeListener('close', this.#settleOnClose);
    const left = (this.#pendingByIp.get(ip) ?? 1) - 1;
    if (left > 0) this.#pendingByIp.set(ip, left);
    else this.#pendingByIp.delete(ip);
  }

  /**
   * Reserves a socket for the user during the handshake; false when they already hold the most allowed
   * here (counting handshakes still in flight, so a burst cannot slip past). `release` once joined or
   * refused.
   */
  reserve(io: IO, auth: Auth): boolean {
    const userId = auth.user.id;
    const held = io.of('/').adapter.rooms.get(channel.user(userId))?.size ?? 0;
    const inFlight = this.#handshakesByUser.get(userId) ?? 0;
    if (held + inFlight >= this.#config.maxSocketsPerUser) return false;
    this.#handshakesByUser.set(userId, inFlight + 1);
    return true;
  }

  release(userId: string): void {
    const left = (this.#handshakesByUser.get(userId) ?? 1) - 1;
    if (left > 0) this.#handshakesByUser.set(userId, left);
    else this.#handshakesByUser.delete(userId);
  }
}
