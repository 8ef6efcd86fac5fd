/**
 * What a chain may reach. A chain can arrive from another Durable Object, a
 * Worker or storage, so the executor treats every key as hostile: it may read
 * the target's public methods and data, and nothing the platform or Lumenize
 * put there.
 *
 * Three rules, checked at every step: the key (`assertReachable`: names and
 * where the member lives), and the value the step produced, which is neither
 * a platform handle (`assertNotPlatformHandle`: the host's storage, env and
 * bindings, however a public member came to hold them) nor the target itself
 * (`assertNotTarget`).
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

/**
 * Every handler the platform itself invokes on a Worker entrypoint or a
 * Durable Object: the optional members its base classes `WorkerEntrypoint`
 * and `DurableObject` declare. A subclass defines them on its own prototype,
 * so where they live does not tell them from public methods: they are refused
 * by name on every chain host, defined or not. `test/chains/types.test.ts`
 * checks this list against the platform's types, so a handler added there
 * fails the type check until it is added here.
 */
export const PLATFORM_HANDLERS = [
  "fetch",
  "connect",
  "scheduled",
  "queue",
  "email",
  "tail",
  "tailStream",
  "trace",
  "test",
  "alarm",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
] as const;

const platformHandlers = new Set<string>(PLATFORM_HANDLERS);

/** Lumenize's own members of a host, which a subclass may define or override. */
const lumenizeMembers = new Set(["lmz", "ctn", "onBeforeCall"]);

/**
 * Prototypes whose members no chain may use: `Object.prototype` and
 * `Function.prototype` (`toString`, `call`, `bind`…), the Lumenize base
 * classes and everything they inherit from (the platform's `DurableObject`,
 * `WorkerEntrypoint` and `RpcTarget`). Objects inheriting from a base class
 * are chain hosts.
 */
const infrastructure = new Set<object>([Object.prototype, Function.prototype]);
const hostPrototypes = new Set<object>();

/**
 * Registers a base class prototype: its members, and those of every
 * prototype it inherits from, are refused, and its instances are hosts.
 */
export function registerChainHost(prototype: object): void {
  hostPrototypes.add(prototype);
  for (let proto: object | null = prototype; proto; proto = Object.getPrototypeOf(proto)) infrastructure.add(proto);
}

/** Throws unless a chain may read `key` of `object` at `step`. */
export function assertReachable(object: object, key: string, step: number, chain: OperationChain): void {
  const refuse = (why: string) => refusal(step, chain, why);
  if (isForbiddenKey(key)) throw refuse(`"${key}" is never reachable through a chain.`);
  if (platformHandlers.has(key) && isHost(object)) throw refuse(`"${key}" is a handler the platform invokes, not a method to call.`);
  if (lumenizeMembers.has(key) && isHost(object)) throw refuse(`"${key}" is Lumenize plumbing.`);

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

function refusal(step: number, chain: OperationChain, why: string): OperationChainError {
  return new OperationChainError(
    `Operation chain refused at step ${step} (${describeChain(chain, step + 1)}): ${why} A chain reaches only the target's public methods and data.`,
  );
}

// ---------------------------------------------------------------------------
// Platform handles
// ---------------------------------------------------------------------------

/** Every registered platform handle, with what it is (`"ctx.storage"`, `"env.PROBE"`). */
const handles = new WeakMap<object, string>();
/** Prototypes of registered handles, with an example: another object of such a kind is a handle too. */
const handleKinds = new Map<object, string>();
const ordinaryPrototypes = new Set<object | null>([null, Object.prototype, Function.prototype, Array.prototype]);

/**
 * Marks `value` as a platform handle no chain may hold, whatever key led to
 * it: the base classes register their host's `ctx`, `ctx.storage` (and its
 * `sql` and `kv`), `env` and every binding in it. A handle that is a platform
 * object (not a plain object or function) also marks its kind: any object
 * with the same prototype (another `DurableObjectNamespace`, another service
 * binding) is refused as well. Primitives (a secret is a string) cannot be
 * told from data and are ignored.
 *
 * @param name what the handle is, for error messages, e.g. `"env.PROBE"`.
 */
export function registerPlatformHandle(value: unknown, name: string): void {
  if ((typeof value !== "object" && typeof value !== "function") || value === null || handles.has(value)) return;
  handles.set(value, name);
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (!ordinaryPrototypes.has(prototype) && !handleKinds.has(prototype as object)) handleKinds.set(prototype as object, name);
}

/**
 * Throws if a step gave back the chain's target itself (a method returning
 * `this`, a field holding it). Its members are reached by name from the
 * chain's first step, where `onBeforeCall` sees them; a chain that got the
 * target back could enter any member unseen, or send the target, with its
 * `ctx` and `env`, as a result or an argument.
 */
export function assertNotTarget(value: unknown, target: object, step: number, chain: OperationChain): void {
  if (value === target) {
    throw refusal(step, chain, `${describeChain(chain, step + 1)} gave back the target itself, which never leaves or is entered again through a chain; call its members from the chain's first step.`);
  }
}

/** Throws if `value`, what step `step` of `chain` produced, is a platform handle. */
export function assertNotPlatformHandle(value: unknown, step: number, chain: OperationChain): void {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return;
  const known = handles.get(value);
  const kindOf = known === undefined ? handleKinds.get(Object.getPrototypeOf(value) as object) : undefined;
  if (known === undefined && kindOf === undefined) return;
  const what = known ?? `of the same platform type as ${kindOf}`;
  const operation = chain[step];
  const where = operation.type === "get" ? `"${operation.key}"` : describeChain(chain, step + 1);
  throw refusal(step, chain, `the value of ${where} is ${what}: a platform handle (storage, bindings, secrets) is never reachable through a chain.`);
}
