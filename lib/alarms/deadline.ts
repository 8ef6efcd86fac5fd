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

interface Waiting {
  /** Epoch milliseconds. */
  readonly deadline: number;
  readonly late: () => void;
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
      const waiting: Waiting = { deadline: Date.now() + ms, late: () => resolve({ kind: "late" }) };
      this.#waiting.add(waiting);
      if (waiting.deadline < this.#timerAt) this.#setTimer(waiting.deadline);
      const ended = (end: RunEnd): void => {
        // Gone from the set: the deadline came first and resolved the wait.
        if (!this.#waiting.delete(waiting)) return afterDeadline(end);
        this.#clearIfIdle();
        resolve(end);
      };
      run.then(
        () => ended({ kind: "done" }),
        (error: unknown) => ended({ kind: "threw", error }),
      );
    });
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
        waiting.late();
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
