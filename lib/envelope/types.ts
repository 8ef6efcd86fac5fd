import type { Intermediate } from "../structured-clone";

/** Who a Lumenize host is, as far as it (or its caller) knows. */
export interface Identity {
  readonly kind: "durable-object" | "worker" | "rpc-target";
  /** The binding the host is reached through (`env[binding]`), e.g. `"COUNTER"`. */
  readonly binding?: string;
  /** The Durable Object's instance name, when it was reached by name. */
  readonly name?: string;
  /** The Durable Object's id as a hex string. */
  readonly id?: string;
}

/** How a caller addressed the target: enough for the target to learn its own name. */
export interface Address {
  readonly binding: string;
  readonly name?: string;
}

/**
 * What crosses a boundary when a chain runs elsewhere: the chain in
 * structured-clone form, plus who sent it and how it was addressed.
 */
export interface ChainEnvelope {
  /** Format version; bumped on incompatible changes. */
  readonly v: 1;
  /** The operation chain, preprocessed by structured-clone. */
  readonly chain: Intermediate;
  /** The sender, so the target can call back (`this.lmz.caller`). */
  readonly caller?: Identity;
  /** How the sender addressed the target, so the target learns its name. */
  readonly callee?: Address;
  /** A correlation id for logs. */
  readonly callId?: string;
}

/** What comes back: the result, or the Error the chain threw, in structured-clone form. */
export type ChainOutcome =
  | { readonly ok: true; readonly value: Intermediate }
  | { readonly ok: false; readonly error: Intermediate };
