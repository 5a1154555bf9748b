import { limits } from '@parley/protocol';
import { fetchServerConfig, logout } from '../api/auth';
import { onSessionRejected, setToken } from '../api/http';
import { type ChatSocket, connectSocket } from '../api/socket';
import { wireSocket } from './events';
import { loadOutbox, saveOutbox } from './outbox';
import { loadRooms } from './rooms';
import { saveSession, type Session } from './session';
import { Store } from './store';
import type { ChatState } from './types';

/**
 * One signed-in session: the socket, the state the screens render, and the actions they call.
 * Created on sign-in, disposed on sign-out, so nothing of one user leaks into the next.
 */
export class Chat {
  readonly store: Store<ChatState>;
  readonly socket: ChatSocket;
  /** clientIds sent on the current connection and not yet answered, with the attempt's tag. */
  readonly inFlight = new Map<string, symbol>();
  private cleanups: Array<() => void> = [];
  private disposed = false;

  constructor(
    readonly session: Session,
    private readonly signedOut: () => void,
  ) {
    setToken(session.token);
    onSessionRejected(() => this.end());
    this.store = new Store<ChatState>({
      me: session.user,
      connection: 'connecting',
      reconnectAttempt: 0,
      rooms: {},
      roomsLoaded: false,
      timelines: {},
      members: {},
      online: { [session.user.id]: true },
      typing: {},
      outbox: loadOutbox(session.user.id),
      activeRoomId: roomFromHash(),
      maxMessageLength: limits.messageLengthDefault,
    });
    this.persistOutbox();
    this.socket = connectSocket(session.token);
    this.cleanups.push(wireSocket(this));
    void loadRooms(this);
    fetchServerConfig()
      .then((config) => this.store.set((s) => ({ ...s, maxMessageLength: config.maxMessageLength })))
      .catch(() => {});
  }

  get me() {
    return this.store.get().me;
  }

  get isDisposed() {
    return this.disposed;
  }

  /** Sign out on purpose: the server revokes the token, this tab forgets it and its outbox. */
  async logout(): Promise<void> {
    await logout().catch(() => {});
    saveOutbox(this.me.id, []);
    this.end();
  }

  /** The session is over (signed out here, elsewhere, or revoked): back to the login screen. */
  end(): void {
    if (this.disposed) return;
    this.dispose();
    saveSession(null);
    setToken(null);
    this.signedOut();
  }

  dispose(): void {
    this.disposed = true;
    for (const cleanup of this.cleanups) cleanup();
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
    this.socket.disconnect();
  }

  private persistOutbox(): void {
    let last = this.store.get().outbox;
    this.cleanups.push(
      this.store.subscribe(() => {
        const { outbox } = this.store.get();
        if (outbox === last) return;
        last = outbox;
        saveOutbox(this.me.id, outbox);
      }),
    );
  }
}

function roomFromHash(): string | null {
  const match = /^#room=(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]!) : null;
}
