import type { OperationChain } from "../chains";
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

/** The version of {@link ChainEnvelope} this build writes and reads. */
export const ENVELOPE_VERSION = 2;

/**
 * What crosses a boundary when a chain runs elsewhere: one text, in
 * structured-clone's string form, holding the chain and the
 * {@link EnvelopeMeta}. Workers RPC carries one string faster than the
 * objects it stands for, parsing included (measured: the envelope as
 * objects costs a few percent of an RPC's time, as text nothing
 * measurable).
 */
export interface ChainEnvelope {
  /** Format version; bumped on incompatible changes. */
  readonly v: typeof ENVELOPE_VERSION;
  /** structured-clone's `stringify({ chain, caller, callee, callId })`, without the fields that are undefined. */
  readonly text: string;
}

/** Who sent a chain and how it addressed the target: what an envelope carries besides the chain. */
export interface EnvelopeMeta {
  /** The sender, so the target can call back (`this.lmz.caller`). */
  readonly caller?: Identity;
  /** How the sender addressed the target, so the target learns its name. */
  readonly callee?: Address;
  /** A correlation id for logs. */
  readonly callId?: string;
}

/** An envelope from elsewhere, checked: its chain validated, its meta shape-checked (each field dropped if malformed). */
export interface OpenedEnvelope extends EnvelopeMeta {
  readonly chain: OperationChain;
}

/** What comes back: the result, or the Error the chain threw, in structured-clone form. */
export type ChainOutcome =
  | { readonly ok: true; readonly value: Intermediate }
  | { readonly ok: false; readonly error: Intermediate };
