import type { Chat } from './chat';

/**
 * A fallback: the server says when a typist stops or goes quiet, and re-announces one who keeps
 * typing every few seconds; this only clears an indicator whose "stopped" was lost with a connection.
 */
const typingTtlMs = 8000;

/** Who is typing where; an indicator whose "stopped" was lost expires by itself. */
export function wireTyping(chat: Chat): () => void {
  const { socket, store } = chat;
  socket.on('typing', ({ roomId, user, typing }) => {
    if (user.id === chat.me.id) return;
    store.set((s) => {
      const others = (s.typing[roomId] ?? []).filter((e) => e.user.id !== user.id);
      const entries = typing ? [...others, { user, until: Date.now() + typingTtlMs }] : others;
      return { ...s, typing: { ...s.typing, [roomId]: entries } };
    });
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    const { typing } = store.get();
    if (!Object.values(typing).some((entries) => entries.some((e) => e.until <= now))) return;
    store.set((s) => ({
      ...s,
      typing: Object.fromEntries(
        Object.entries(s.typing).map(([id, list]) => [id, list.filter((e) => e.until > now)]),
      ),
    }));
  }, 1000);
  return () => clearInterval(sweep);
}

/** "Ana is typing…", "Ana and Bo are typing…", "Ana, Bo and 2 others are typing…". */
export function describeTyping(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} others are typing…`;
}

/** Sends typing state at most every few seconds while keys are pressed, and "stopped" once. */
export class TypingSignal {
  private lastSent = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly chat: Chat,
    private readonly roomId: string,
  ) {}

  keystroke(): void {
    const now = Date.now();
    if (now - this.lastSent > 2500) {
      this.lastSent = now;
      this.emit(true);
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), 4000);
  }

  stop(): void {
    clearTimeout(this.idle);
    if (this.lastSent === 0) return;
    this.lastSent = 0;
    this.emit(false);
  }

  private emit(typing: boolean): void {
    if (this.chat.socket.connected) this.chat.socket.emit('typing', { roomId: this.roomId, typing });
  }
}
