/**
 * What capabilities built on a `LumenizeBase` (proxy-fetch) need of it
 * beyond `this.lmz`: its bindings and its `waitUntil`. The platform keeps
 * `ctx` and `env` protected, and they are not for users to reach through
 * `this.lmz`, so each instance registers them here, in its constructor,
 * keyed by the instance: typed, and invisible on the object itself.
 */

/** A Lumenize Durable Object's bindings and `waitUntil`. */
export interface DurableObjectRuntime {
  /** The Durable Object's `env`. */
  readonly env: unknown;
  /** `ctx.waitUntil`: keeps the object alive until `work` settles. */
  waitUntil(work: Promise<unknown>): void;
}

const runtimes = new WeakMap<object, DurableObjectRuntime>();

/** Called by the `LumenizeBase` constructor. */
export function registerRuntime(host: object, runtime: DurableObjectRuntime): void {
  runtimes.set(host, runtime);
}

/**
 * The runtime of a `LumenizeBase` instance, or `undefined` for anything else.
 * @internal
 */
export function runtimeOf(host: unknown): DurableObjectRuntime | undefined {
  return typeof host === "object" && host !== null ? runtimes.get(host) : undefined;
}
