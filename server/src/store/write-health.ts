import { AppError } from '../errors.js';

export const unwritableMessage =
  'The database cannot be written right now (disk full or read-only); try again shortly.';

/**
 * Remembers whether the last write failed for want of a writable disk (each dialect says which errors
 * mean that), so that readiness can say so and find out by itself when space returns.
 */
export class WriteHealth {
  readonly #isUnwritable: (error: unknown) => boolean;
  #failure: string | undefined;

  constructor(isUnwritable: (error: unknown) => boolean) {
    this.#isUnwritable = isUnwritable;
  }

  get failure(): string | undefined {
    return this.#failure;
  }

  /** Rethrows `error`, as 503 `unavailable` when the disk refused it. */
  translate(error: unknown): never {
    if (this.#isUnwritable(error)) {
      this.#failure = (error as Error).message;
      throw new AppError('unavailable', unwritableMessage);
    }
    throw error;
  }

  succeeded(): void {
    this.#failure = undefined;
  }
}
