/**
 * The one runtime behaviour a Lumenize Durable Object cannot do without: an
 * object with a pending RPC, timer or `waitUntil` is not evicted. `call`
 * keeps a continuation in memory while its result is on the way back, and
 * proxy-fetch waits on a hand-over; an object evicted meanwhile loses them
 * without an error. The runtime does this from compatibility date 2026-10-01
 * on, or with the flag `durable_object_io_tasks_prevent_eviction`.
 */
import { ConfigurationError } from "../errors";

const FLAG = "durable_object_io_tasks_prevent_eviction";

/**
 * Throws, naming the date and the flag to set, if the runtime says this
 * Worker runs without eviction protection. A runtime that does not report its
 * flags (no `Cloudflare.compatibilityFlags`) is given the benefit of the doubt.
 *
 * @throws {ConfigurationError} when the flag is reported off.
 */
export function requireEvictionProtection(): void {
  const flags = (globalThis as { Cloudflare?: Partial<Cloudflare> }).Cloudflare?.compatibilityFlags;
  if (flags?.[FLAG] !== false) return;
  throw new ConfigurationError(
    `Lumenize Durable Objects need the runtime to keep an object with a pending RPC, timer or waitUntil alive, which this Worker's ` +
      `compatibility date does not: an object evicted meanwhile would lose the continuations of its calls in flight. In wrangler.jsonc, ` +
      `set "compatibility_date" to "2026-10-01" or later (the earliest Lumenize supports), or add "${FLAG}" to "compatibility_flags".`,
  );
}
