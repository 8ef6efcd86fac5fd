/**
 * Which caller the chain now running came from. Calls into one Durable Object
 * interleave (the input gate opens at every await), so a field on the
 * instance would be overwritten by the next call; AsyncLocalStorage follows
 * each call's own async flow instead.
 *
 * The executor sets it for every chain it runs (see `executeOperationChain`):
 * the door passes the envelope's caller, everything else (continuations,
 * schedule handlers) passes none. Setting it on every run is what keeps a
 * continuation from inheriting the context of the method that started its
 * work: promise callbacks run in the context they were registered in.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Identity } from "../envelope";

const currentCaller = new AsyncLocalStorage<Identity | undefined>();

/** Runs `work` with `caller` as the current caller. */
export function withCaller<T>(caller: Identity | undefined, work: () => T): T {
  // The common case, a continuation run outside any call, needs no new context.
  return currentCaller.getStore() === caller ? work() : currentCaller.run(caller, work);
}

/** The identity of whoever sent the chain now running, if it said. */
export function getCaller(): Identity | undefined {
  return currentCaller.getStore();
}
