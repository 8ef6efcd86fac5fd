/**
 * Waiting for a handler with a deadline. JavaScript cannot stop a promise,
 * so a handler that overruns keeps running; what the deadline ends is the
 * waiting, so the next handler can start.
 */

/** How a handler's run ended, as far as the waiting goes. */
export type RunEnd = { readonly kind: "done" } | { readonly kind: "threw"; readonly error: unknown } | { readonly kind: "late" };

/**
 * Resolves with how `run` ended, or with `late` once `ms` milliseconds passed
 * first. Never rejects. A late run's own end is passed to `afterDeadline`.
 */
export function within(run: Promise<unknown>, ms: number, afterDeadline: (end: RunEnd) => void): Promise<RunEnd> {
  return new Promise<RunEnd>((resolve) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      resolve({ kind: "late" });
    }, ms);
    const ended = (end: RunEnd): void => {
      if (late) return afterDeadline(end);
      clearTimeout(timer);
      resolve(end);
    };
    run.then(
      () => ended({ kind: "done" }),
      (error: unknown) => ended({ kind: "threw", error }),
    );
  });
}
