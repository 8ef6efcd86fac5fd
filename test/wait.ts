import { vi } from "vitest";

/**
 * Polls `read` until it returns at least `count` items, then returns them.
 * Continuations run after the call that caused them returns, so tests wait
 * for their effects instead of asserting at once.
 */
export function waitForAtLeast<T>(read: () => Promise<T[]>, count: number, what: string, timeout = 10_000): Promise<T[]> {
  return vi.waitFor(
    async () => {
      const items = await read();
      if (items.length < count) throw new Error(`${items.length} of ${count} ${what}`);
      return items;
    },
    { timeout, interval: 20 },
  );
}
