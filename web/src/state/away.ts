/** Until the server says otherwise (`GET /api/config` `awayAfterMs`). */
export const defaultAwayAfterMs = 5 * 60_000;

const activity = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

/**
 * Whether this tab is away: nobody has touched it for a while, or it has been hidden that long (a
 * hidden tab gets no input, so one clock covers both). Coming back is noticed at the first input or
 * when the tab shows again.
 */
export class AwayTracker {
  private lastActive = Date.now();
  private away = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(away: boolean) => void>();

  constructor(private delayMs = defaultAwayAfterMs) {
    for (const event of activity) window.addEventListener(event, this.active, { passive: true });
    document.addEventListener('visibilitychange', this.visibility);
    this.arm();
  }

  get isAway(): boolean {
    return this.away;
  }

  onChange(listener: (away: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
    this.arm();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const event of activity) window.removeEventListener(event, this.active);
    document.removeEventListener('visibilitychange', this.visibility);
    this.listeners.clear();
  }

  private readonly active = () => {
    this.lastActive = Date.now();
    if (this.away) this.set(false);
    // Re-armed lazily: pointermove fires often, and the timer checks the clock when it fires.
    this.timer ??= setTimeout(this.check, this.delayMs);
  };

  private readonly visibility = () => {
    if (document.visibilityState === 'visible') this.active();
  };

  private readonly check = () => {
    this.timer = undefined;
    const idle = Date.now() - this.lastActive;
    if (idle >= this.delayMs) this.set(true);
    else this.timer = setTimeout(this.check, this.delayMs - idle);
  };

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.check();
  }

  private set(away: boolean): void {
    this.away = away;
    for (const listener of this.listeners) listener(away);
  }
}
