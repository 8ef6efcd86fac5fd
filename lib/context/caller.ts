/**
 * Which caller the chain now running came from, and, for a durable call, its
 * call id (the remote's idempotency key). Calls into one Durable Object
 * interleave (the input gate opens at every await), so a field on the
 * instance would be overwritten by the next call; AsyncLocalStorage follows
 * each call's own async flow instead.
 *
 * AsyncLocalStorage is the only Node.js API Lumenize uses. The runtime has it
 * from compatibility date 2026-08-04 on (Node.js compatibility is then on by
 * default), or with the flag `nodejs_als` (or `nodejs_compat`) on an older
 * date. It is imported dynamically, once, so that a Worker without it still
 * starts and the first Lumenize host it constructs says what to add (see
 * {@link requireCallerContext}), rather than failing to load with
 * `No such module "node:async_hooks"`.
 *
 * The executor sets it for every chain it runs (see `executeOperationChain`):
 * the door passes the envelope's caller (and a durable call's id),
 * everything else (continuations, schedule handlers) passes none. Setting it on every run is what keeps a
 * continuation from inheriting the context of the method that started its
 * work: promise callbacks run in the context they were registered in.
 */
import { ConfigurationError } from "../errors";
import type { Identity } from "../envelope";

/**
 * The part of `AsyncLocalStorage` used here. Declared, not imported from
 * Node's types, so that the library and its published types build against the
 * Workers runtime types alone.
 */
interface CallerStorage {
  run<R>(store: CallContext | undefined, work: () => R): R;
  getStore(): CallContext | undefined;
}

/** What a chain run from elsewhere knows of its call; `undefined` stands for "nothing". */
interface CallContext {
  readonly caller: Identity | undefined;
  readonly callId: string | undefined;
}

// The specifier is cast so that TypeScript does not look for Node's types; the
// emitted code, and so every bundler, still sees the literal "node:async_hooks".
const currentCaller: CallerStorage | { missing: unknown } = await import("node:async_hooks" as string).then(
  (hooks: { AsyncLocalStorage: new () => CallerStorage }) => new hooks.AsyncLocalStorage(),
  (cause: unknown) => ({ missing: cause }),
);

function storage(): CallerStorage {
  if ("missing" in currentCaller) {
    throw new ConfigurationError(
      'Lumenize needs AsyncLocalStorage ("node:async_hooks"), which this Worker does not have. In wrangler.jsonc, set ' +
        '"compatibility_date" to "2026-10-01" or later (the earliest Lumenize supports), or, to keep this date, add both ' +
        '"nodejs_als" and "durable_object_io_tasks_prevent_eviction" to "compatibility_flags".',
      { cause: currentCaller.missing },
    );
  }
  return currentCaller;
}

/**
 * Throws, naming the compatibility flag to add, if the runtime has no
 * AsyncLocalStorage. Every Lumenize host calls it when constructed.
 *
 * @throws {ConfigurationError} without AsyncLocalStorage.
 */
export function requireCallerContext(): void {
  storage();
}

/** Runs `work` with `caller` as the current caller and `callId` as the current durable call's id. */
export function withCaller<T>(caller: Identity | undefined, work: () => T, callId?: string): T {
  const store = storage();
  const current = store.getStore();
  // The common case, a continuation run outside any call, needs no new context.
  if (current?.caller === caller && current?.callId === callId) return work();
  return store.run(caller === undefined && callId === undefined ? undefined : { caller, callId }, work);
}

/** The identity of whoever sent the chain now running, if it said. */
export function getCaller(): Identity | undefined {
  return storage().getStore()?.caller;
}

/** The id of the durable call whose chain is running, if it is one. */
export function getCallId(): string | undefined {
  return storage().getStore()?.callId;
}
