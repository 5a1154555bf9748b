import { limits } from '@parley/protocol';
import { fetchServerConfig, logout } from '../api/auth';
import { onSessionRejected, setToken } from '../api/http';
import { roomIdInLocation } from '../routes/paths';
import { type ChatSocket, connectSocket } from '../api/socket';
import { AwayTracker } from './away';
import { wireSocket } from './events';
import { clearOutbox, loadOutbox, type OutboxEntry, outboxKey, saveOutbox, strayEntries } from './outbox';
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
  /** Whether this tab is away (hidden or untouched for a while); told to the server. */
  readonly away = new AwayTracker();
  /** clientIds sent on the current connection and not yet answered, with the attempt's tag. */
  readonly inFlight = new Map<string, symbol>();
  /** Every clientId this tab's outbox has held, sent or not (see saveOutbox). */
  private readonly heldClientIds = new Set<string>();
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
      memberCursors: {},
      presence: { [session.user.id]: 'online' },
      typing: {},
      outbox: loadOutbox(session.user.id),
      activeRoomId: roomIdInLocation(),
      maxMessageLength: limits.messageLengthDefault,
    });
    this.persistOutbox();
    this.socket = connectSocket(session.token, () => this.away.isAway);
    this.cleanups.push(
      this.away.onChange((away) =>
        this.store.set((s) => ({ ...s, presence: { ...s.presence, [s.me.id]: away ? 'away' : 'online' } })),
      ),
      () => this.away.dispose(),
    );
    this.cleanups.push(wireSocket(this));
    void loadRooms(this);
    fetchServerConfig()
      .then((config) => {
        this.store.set((s) => ({ ...s, maxMessageLength: config.maxMessageLength }));
        if (config.awayAfterMs) this.away.setDelay(config.awayAfterMs);
      })
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
    clearOutbox(this.me.id);
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

  /**
   * Takes in what other tabs of this user left unsent in the shared outbox (a tab closed while
   * offline): sending a clientId twice stores it once, so more than one tab may send the same entry.
   */
  adoptStrayOutbox(): void {
    const strays = strayEntries(this.me.id, this.heldClientIds);
    if (strays.length > 0) this.store.set((s) => ({ ...s, outbox: [...s.outbox, ...strays] }));
  }

  private persistOutbox(): void {
    const save = (outbox: OutboxEntry[]) => {
      for (const entry of outbox) this.heldClientIds.add(entry.clientId);
      saveOutbox(this.me.id, outbox, this.heldClientIds);
    };
    let last = this.store.get().outbox;
    for (const entry of last) this.heldClientIds.add(entry.clientId);
    this.cleanups.push(
      this.store.subscribe(() => {
        const { outbox } = this.store.get();
        if (outbox === last) return;
        last = outbox;
        save(outbox);
      }),
    );
    // Two tabs writing at the same moment can each miss the other's entries; when another tab has
    // written the outbox without some of this tab's unsent entries, write them back.
    const onStorage = (event: StorageEvent) => {
      if (event.key !== outboxKey(this.me.id)) return;
      const stored = new Set(loadOutbox(this.me.id).map((entry) => entry.clientId));
      const { outbox } = this.store.get();
      if (outbox.some((entry) => !stored.has(entry.clientId))) save(outbox);
    };
    window.addEventListener('storage', onStorage);
    this.cleanups.push(() => window.removeEventListener('storage', onStorage));
  }
}
