/**
 * Which caller the chain now running came from. Calls into one Durable Object
 * interleave (the input gate opens at every await), so a field on the
 * instance would be overwritten by the next call; AsyncLocalStorage follows
 * each call's own async flow instead.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Identity } from "../envelope";

const currentCaller = new AsyncLocalStorage<Identity | undefined>();

/** Runs `work` with `caller` as the current caller. */
export function withCaller<T>(caller: Identity | undefined, work: () => T): T {
  return currentCaller.run(caller, work);
}

/** The identity of whoever sent the chain now running, if it said. */
export function getCaller(): Identity | undefined {
  return currentCaller.getStore();
}
