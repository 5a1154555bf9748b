/**
 * A latency histogram with fixed 20 µs buckets up to 20 s: recording is one array increment, so the
 * generator can time hundreds of thousands of deliveries a second without allocating.
 */
const bucketMs = 0.02;
const buckets = 1_000_000;

export class Histogram {
  private readonly counts = new Uint32Array(buckets + 1);
  count = 0;
  max = 0;
  private sum = 0;

  record(ms: number): void {
    const value = Math.max(ms, 0);
    const index = Math.min(buckets, Math.floor(value / bucketMs));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i <= buckets; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(this.max, (i + 1) * bucketMs);
    }
    return this.max;
  }

  mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  summary(): { p50: number; p99: number; max: number } {
    return { p50: round(this.percentile(50)), p99: round(this.percentile(99)), max: round(this.max) };
  }
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0)
    return null;
  return round(a / b, 3);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Events per socket per second since `start` (presence frames): the total, and the most one socket got in a second. */
export class PerSecond {
  private readonly seconds = new Map<number, Uint16Array>();
  total = 0;
  start = Number.POSITIVE_INFINITY;

  constructor(private readonly sockets: number) {}

  record(socket: number): void {
    const now = performance.now();
    if (now < this.start) return;
    const second = Math.floor((now - this.start) / 1000);
    let counts = this.seconds.get(second);
    if (!counts) {
      counts = new Uint16Array(this.sockets);
      this.seconds.set(second, counts);
    }
    counts[socket] = (counts[socket] ?? 0) + 1;
    this.total++;
  }

  max(): number {
    let most = 0;
    for (const counts of this.seconds.values()) for (const count of counts) most = Math.max(most, count);
    return most;
  }
}
