/**
 * Hand-overs made in one synchronous stretch travel together. A loop of 500
 * `proxyFetch` calls is one enqueue at the orchestrator and 50 executor
 * invocations, not 500 of each: fewer Worker requests (each is billed) and
 * fewer round trips. Batches flush in a microtask, so nothing waits on a timer.
 */

/**
 * Jobs per executor invocation. Each job costs the executor about three
 * subrequests (the fetch, a claim, the delivery; more with retries), and a
 * Worker invocation has a subrequest limit (50 on the Free plan), so batches
 * stay well under it.
 */
export const MAX_JOBS_PER_EXECUTOR_CALL = 10;
/** Jobs per enqueue RPC at the orchestrator: bounds the message size (bodies travel inside). */
export const MAX_JOBS_PER_ENQUEUE = 100;

const open = new WeakMap<object, Map<string, unknown[]>>();

/**
 * Adds `item` to `owner`'s open batch under `key`; the first item of a batch
 * schedules `flush` for the end of the current synchronous stretch.
 */
export function collect<T>(owner: object, key: string, item: T, flush: (items: T[]) => Promise<void>, keepAlive: (work: Promise<void>) => void): void {
  let batches = open.get(owner);
  if (!batches) {
    batches = new Map();
    open.set(owner, batches);
  }
  const batch = batches.get(key) as T[] | undefined;
  if (batch) {
    batch.push(item);
    return;
  }
  const items = [item];
  batches.set(key, items);
  keepAlive(
    Promise.resolve().then(() => {
      batches.delete(key);
      return flush(items);
    }),
  );
}

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}

/**
 * Runs `work` up to `attempts` times, waiting `backoff` ms before the first
 * retry and doubling it after. For idempotent hand-overs only.
 * @throws the last attempt's error.
 */
export async function retrying<T>(attempts: number, backoff: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)));
    }
  }
}
