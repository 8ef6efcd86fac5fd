/**
 * Work made in one synchronous stretch travels together: proxy-fetch's
 * hand-overs, durable calls handed to one remote, outcomes going home to
 * one caller. One RPC for many saves round trips and billed requests, and
 * for outcomes, the storage commits of the object they settle on.
 */

const open = new WeakMap<object, Map<string, unknown[]>>();

/**
 * Adds `item` to `owner`'s open batch under `key`; the first item of a batch
 * schedules `flush` for the end of the current synchronous stretch (a
 * microtask, so nothing waits on a timer).
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
