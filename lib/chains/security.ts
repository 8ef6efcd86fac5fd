/**
 * What a chain may reach. A chain can arrive from another Durable Object, a
 * Worker or storage, so the executor treats every key as hostile: it may read
 * the target's public methods and data, and nothing the platform or Lumenize
 * put there.
 */
import { describeChain } from "./describe";
import { OperationChainError } from "./errors";
import type { OperationChain } from "./types";

/** Keys refused on every object: prototype plumbing and private-by-convention names. */
function isForbiddenKey(key: string): boolean {
  return (
    key === "__proto__" ||
    key === "constructor" ||
    key === "prototype" ||
    key.startsWith("__") ||
    key.startsWith("#") ||
    // The platform's handles: storage, bindings, secrets.
    key === "ctx" ||
    key === "env"
  );
}

/** Lifecycle handlers and Lumenize's own members, refused on a chain host. */
const HOST_ONLY = new Set(["lmz", "ctn", "alarm", "fetch", "webSocketMessage", "webSocketClose", "webSocketError"]);

/**
 * Prototypes whose members no chain may use: `Object.prototype` and
 * `Function.prototype` (`toString`, `call`, `bind`…) and the Lumenize base
 * classes (registered by `lib/base`). Objects inheriting from a base class
 * are chain hosts.
 */
const infrastructure = new Set<object>([Object.prototype, Function.prototype]);
const hostPrototypes = new Set<object>();

/** Registers a base class prototype: its members are refused and its instances are hosts. */
export function registerChainHost(prototype: object): void {
  infrastructure.add(prototype);
  hostPrototypes.add(prototype);
}

/** Throws unless a chain may read `key` of `object` at `step`. */
export function assertReachable(object: object, key: string, step: number, chain: OperationChain): void {
  const refuse = (why: string) =>
    new OperationChainError(
      `Operation chain refused at step ${step} (${describeChain(chain, step + 1)}): ${why} A chain reaches only the target's public methods and data.`,
    );
  if (isForbiddenKey(key)) throw refuse(`"${key}" is never reachable through a chain.`);
  if (HOST_ONLY.has(key) && isHost(object)) throw refuse(`"${key}" is Lumenize or platform plumbing.`);

  const holder = findHolder(object, key);
  if (holder === undefined) {
    throw new OperationChainError(
      `Operation chain failed at step ${step} (${describeChain(chain, step + 1)}): the target has no member "${key}". Check the method name and that the target is the class you expect.`,
    );
  }
  if (infrastructure.has(holder)) throw refuse(`"${key}" is inherited plumbing, not a member of the target.`);
}

function isHost(object: object): boolean {
  for (let proto = Object.getPrototypeOf(object); proto; proto = Object.getPrototypeOf(proto)) {
    if (hostPrototypes.has(proto)) return true;
  }
  return false;
}

/** The object in `object`'s prototype chain that owns `key`, if any. */
function findHolder(object: object, key: string): object | undefined {
  for (let current: object | null = object; current; current = Object.getPrototypeOf(current)) {
    if (Object.prototype.hasOwnProperty.call(current, key)) return current;
  }
  return undefined;
}
