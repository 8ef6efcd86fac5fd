/**
 * How a Durable Object knows its own binding and name.
 *
 * The platform tells a Durable Object its id, and (for ids made from a name,
 * on recent runtimes) `ctx.id.name`, but never the binding it is reached
 * through. So Lumenize learns both from the envelope of the first call that
 * reaches it (the caller knows which binding and name it used), checks the
 * claim against the platform (`env[binding].idFromName(name)` must equal
 * `ctx.id`, so a caller cannot make a DO believe a false name), and persists
 * it in the DO's synchronous KV storage so it survives eviction. One write,
 * the first time; none on later calls.
 */
import { originNamespace, type OriginAddress } from "../delivery";
import type { Address, Identity } from "../envelope";

const STORAGE_KEY = "__lumenize:identity";

export class DurableObjectIdentity {
  #ctx: DurableObjectState;
  #env: unknown;
  #binding: string | undefined;
  #name: string | undefined;
  /** What {@link origin} found in `env` (`null`: nothing), once it looked. */
  #found: string | null | undefined;
  /** `ctx.id` as a string, and {@link identity} until a call teaches a new binding or name: every call sends it. */
  #id: string | undefined;
  #identity: Identity | undefined;

  constructor(ctx: DurableObjectState, env: unknown) {
    this.#ctx = ctx;
    this.#env = env;
    const stored = ctx.storage.kv.get<Address>(STORAGE_KEY);
    this.#binding = stored?.binding;
    this.#name = stored?.name ?? ctx.id.name;
  }

  get binding(): string | undefined {
    return this.#binding;
  }

  get name(): string | undefined {
    return this.#name;
  }

  get id(): string {
    return (this.#id ??= this.#ctx.id.toString());
  }

  get identity(): Identity {
    // Without undefined fields, so that an envelope carries it as plain JSON, as it is.
    this.#identity ??= Object.freeze({
      kind: "durable-object",
      ...(this.#binding === undefined ? {} : { binding: this.#binding }),
      ...(this.#name === undefined ? {} : { name: this.#name }),
      id: this.id,
    });
    return this.#identity;
  }

  /**
   * Where a delivery from elsewhere reaches this DO: its binding, and its
   * name or id. Before a call has taught it its binding, the binding is the
   * first in `env` whose namespace holds this DO's id (ids carry their
   * namespace, and two bindings of one class reach the same objects).
   * `undefined` if no binding in `env` reaches it.
   */
  origin(): OriginAddress | undefined {
    const binding = this.#binding ?? this.#ownBinding();
    if (binding === undefined) return undefined;
    return this.#name === undefined ? { binding, id: this.id } : { binding, name: this.#name, id: this.id };
  }

  #ownBinding(): string | undefined {
    if (this.#found === undefined) {
      const bindings = (this.#env ?? {}) as Record<string, unknown>;
      this.#found = Object.keys(bindings).find((binding) => originNamespace(bindings, { binding, id: this.id }) !== undefined) ?? null;
    }
    return this.#found ?? undefined;
  }

  /**
   * Records how a caller addressed this DO, if the platform confirms it.
   * Returns whether the claim was accepted.
   */
  learn(address: Address): boolean {
    if (address.binding === this.#binding && (address.name === undefined || address.name === this.#name)) return true;
    const namespace = (this.#env as Record<string, unknown>)?.[address.binding] as DurableObjectNamespace | undefined;
    if (typeof namespace?.idFromName !== "function") return false;
    // Ids carry their namespace: a binding for another class refuses ours.
    try {
      namespace.idFromString(this.id);
    } catch {
      return false;
    }
    if (address.name !== undefined && !namespace.idFromName(address.name).equals(this.#ctx.id)) return false;
    this.#binding = address.binding;
    this.#name = address.name ?? this.#name;
    this.#identity = undefined;
    this.#ctx.storage.kv.put<Address>(STORAGE_KEY, { binding: this.#binding, name: this.#name });
    return true;
  }
}
