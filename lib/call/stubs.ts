/**
 * One stub per target for the calls a synchronous stretch makes. Creating a
 * Durable Object stub and sending its first message costs more than the
 * message itself: measured at 1,000 concurrent calls to one object, a stub
 * per call took 1.29× the time of one shared stub. The stubs are dropped at
 * the end of the stretch (the next microtask), so none outlives the request
 * that made it: a stub kept past it could be used from another request's
 * I/O context (a Worker refuses that), or after a failure broke it.
 */
import type { ChainDoor } from "../base";
import type { Address } from "../envelope";
import { resolveTarget } from "./resolve";
import type { CallTarget } from "./types";

export class TurnStubs {
  #stubs: Map<string, { stub: ChainDoor; address: Address }> | undefined;

  /** {@link resolveTarget}, reusing a stub this stretch already made for the same target. */
  resolve(env: unknown, binding: string, target: CallTarget): { stub: ChainDoor; address: Address } {
    // A service binding is its own stub, and an id's string form costs as much as a new stub: nothing to share.
    if (typeof target !== "string") return resolveTarget(env, binding, target);
    const key = `${binding}\u0000${target}`;
    let stubs = this.#stubs;
    if (stubs === undefined) {
      stubs = this.#stubs = new Map();
      queueMicrotask(() => (this.#stubs = undefined));
    }
    let found = stubs.get(key);
    if (found === undefined) {
      found = resolveTarget(env, binding, target);
      stubs.set(key, found);
    }
    return found;
  }
}
