import type { Ctx } from '../../context.js';
import type { VapidKeys } from './keys.js';
import { dropSubscription, type StoredSubscription } from './subscriptions.js';

interface Job {
  subscription: StoredSubscription;
  payload: string;
  /** Push services keep one undelivered message per topic: a newer one of a room replaces the older. */
  topic: string;
  urgency: 'normal' | 'high';
  attempt: number;
}

const concurrency = 4;
const maxAttempts = 5;
const maxQueued = 10_000;
const timeoutMs = 10_000;

/**
 * The node's outgoing pushes: a queue drained a few at a time, apart from any message's send or ack.
 * `web-push` encrypts the payload (RFC 8291) and signs the VAPID token; the request goes out with
 * fetch. A push service that is down or busy (5xx, 429, no answer) is retried with backoff; one that
 * says the subscription is gone (404, 410) gets it deleted. Pushes are best-effort: a node that stops
 * drops what it still holds.
 */
export class PushSender {
  readonly #queue: Job[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #active = 0;
  #closed = false;
  #idle: (() => void)[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly keys: VapidKeys,
  ) {}

  enqueue(subscription: StoredSubscription, payload: string, topic: string, urgency: Job['urgency']): void {
    if (this.#closed) return;
    // A push service that has been down for long must not grow the queue without bound.
    if (this.#queue.length >= maxQueued) this.#queue.shift();
    this.#queue.push({ subscription, payload, topic, urgency, attempt: 0 });
    this.#pump();
  }

  /** Resolves once nothing is queued, waiting or in flight (tests, shutdown). */
  async drained(): Promise<void> {
    if (this.#queue.length === 0 && this.#active === 0 && this.#timers.size === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#settle();
  }

  #pump(): void {
    while (this.#active < concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift() as Job;
      this.#active += 1;
      this.#send(job)
        .catch((error: unknown) => this.ctx.log.warn({ err: error }, 'a push failed'))
        .finally(() => {
          this.#active -= 1;
          this.#pump();
          this.#settle();
        });
    }
  }

  #settle(): void {
    if (this.#queue.length > 0 || this.#active > 0 || this.#timers.size > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  async #send(job: Job): Promise<void> {
    const { subscription } = job;
    const { default: webpush } = await import('web-push');
    const request = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      job.payload,
      {
        vapidDetails: this.keys,
        TTL: 24 * 3600,
        urgency: job.urgency,
        topic: job.topic,
        contentEncoding: 'aes128gcm',
      },
    );
    let status: number;
    let retryAfter: number | undefined;
    try {
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body as Buffer,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      status = response.status;
      retryAfter = Number(response.headers.get('retry-after')) || undefined;
    } catch {
      status = 0; // no answer: the network or the service is down
    }
    if (status >= 200 && status < 300) return;
    if (status === 404 || status === 410) {
      await dropSubscription(this.ctx, subscription.id);
      return;
    }
    if ((status === 0 || status === 429 || status >= 500) && job.attempt + 1 < maxAttempts) {
      const delay = retryAfter ? retryAfter * 1000 : 1000 * 2 ** job.attempt;
      this.#later({ ...job, attempt: job.attempt + 1 }, Math.min(delay, 5 * 60_000));
      return;
    }
    this.ctx.log.warn({ status, attempt: job.attempt }, 'a push service refused a push; dropped');
  }

  #later(job: Job, delayMs: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#queue.push(job);
      this.#pump();
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }
}
