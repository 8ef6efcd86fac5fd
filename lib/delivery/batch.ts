/**
 * Work made in one synchronous stretch travels together: proxy-fetch's
 * hand-overs, durable calls handed to one remote, outcomes going home to
 * one caller. One RPC for many saves round trips and billed requests, and
 * for outcomes, the storage commits of the object they settle on.
 */
import { RPC_MESSAGE_LIMIT } from "../envelope";

const open = new WeakMap<object, Map<unknown, unknown[]>>();

/**
 * Adds `item` to `owner`'s open batch under `key` (compared as a Map key
 * does: a string, or an object such as the stub the batch goes to); the
 * first item of a batch
 * schedules `flush` for when `later` resolves: by default the end of the
 * current synchronous stretch (a microtask, so nothing waits on a timer).
 * Work that finishes at unrelated moments (outcomes of remote methods that
 * await I/O) passes a later point, such as the end of the event-loop turn,
 * to gather what finishes together.
 */
export function collect<T>(
  owner: object,
  key: unknown,
  item: T,
  flush: (items: T[]) => Promise<void> | void,
  keepAlive?: (work: Promise<void>) => void,
  later: () => Promise<void> = () => Promise.resolve(),
): void {
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
  const flushed = later().then(() => {
    batches.delete(key);
    return flush(items);
  });
  keepAlive?.(flushed);
}

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}

/**
 * `items` in slices that each fit one Workers RPC message, by `sizeOf` (an
 * item's bytes in it), and hold at most `most` items. An item too big for any
 * message gets a slice of its own, so that it fails alone.
 */
export function fittingSlices<T>(items: readonly T[], sizeOf: (item: T) => number, most = Infinity): T[][] {
  const slices: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= most || bytes + size > RPC_MESSAGE_LIMIT)) {
      slices.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}
