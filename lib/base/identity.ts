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
import type { Address, Identity } from "../envelope";

const STORAGE_KEY = "__lumenize:identity";

export class DurableObjectIdentity {
  #ctx: DurableObjectState;
  #env: unknown;
  #binding: string | undefined;
  #name: string | undefined;

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
    return this.#ctx.id.toString();
  }

  get identity(): Identity {
    return { kind: "durable-object", binding: this.#binding, name: this.#name, id: this.id };
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
    this.#ctx.storage.kv.put<Address>(STORAGE_KEY, { binding: this.#binding, name: this.#name });
    return true;
  }
}
