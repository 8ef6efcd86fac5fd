/**
 * Waiting for handlers with a deadline. JavaScript cannot stop a promise,
 * so a handler that overruns keeps running; what the deadline ends is the
 * waiting, so the next handler can start.
 *
 * One timer serves every run in progress, set for the earliest deadline: a
 * handler that ends in time costs no timer of its own, and an alarm runs
 * thousands of them. While a firing pass holds the timer it stays set
 * between handlers; once nothing runs and nothing holds it, it is cleared,
 * since a pending timer keeps a Durable Object in memory.
 */

/** How a handler's run ended, as far as the waiting goes. */
export type RunEnd = { readonly kind: "done" } | { readonly kind: "threw"; readonly error: unknown } | { readonly kind: "late" };

export const DONE: RunEnd = Object.freeze({ kind: "done" });
const LATE: RunEnd = Object.freeze({ kind: "late" });

/**
 * One run being waited for. A class, not closures: an alarm waits for
 * thousands of runs, and bundlers that keep function names (wrangler does)
 * wrap every named closure in a `defineProperty` call, a measurable share of
 * a firing.
 */
class Waiting {
  constructor(
    /** Epoch milliseconds. */
    readonly deadline: number,
    readonly resolve: (end: RunEnd) => void,
    readonly afterDeadline: (end: RunEnd) => void,
  ) {}
}

export class Deadlines {
  readonly #waiting = new Set<Waiting>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #holds = 0;

  /**
   * Resolves with how `run` ended, or with `late` once `ms` milliseconds
   * passed first. Never rejects. A late run's own end is passed to
   * `afterDeadline`.
   */
  within(run: Promise<unknown>, ms: number, afterDeadline: (end: RunEnd) => void): Promise<RunEnd> {
    return new Promise<RunEnd>((resolve) => {
      const waiting = new Waiting(Date.now() + ms, resolve, afterDeadline);
      this.#waiting.add(waiting);
      if (waiting.deadline < this.#timerAt) this.#setTimer(waiting.deadline);
      run.then(
        () => this.#ended(waiting, DONE),
        (error: unknown) => this.#ended(waiting, { kind: "threw", error }),
      );
    });
  }

  #ended(waiting: Waiting, end: RunEnd): void {
    // Gone from the set: the deadline came first and resolved the wait.
    if (!this.#waiting.delete(waiting)) return waiting.afterDeadline(end);
    this.#clearIfIdle();
    waiting.resolve(end);
  }

  /** Keeps the timer set between runs until the returned function is called. */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      this.#clearIfIdle();
    };
  }

  #setTimer(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - Date.now()));
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const waiting of this.#waiting) {
      if (waiting.deadline <= now) {
        this.#waiting.delete(waiting);
        waiting.resolve(LATE);
      } else {
        next = Math.min(next, waiting.deadline);
      }
    }
    if (next < Infinity) this.#setTimer(next);
  }

  #clearIfIdle(): void {
    if (this.#waiting.size > 0 || this.#holds > 0 || this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }
}
