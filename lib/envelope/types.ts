import type { OperationChain } from "../chains";

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

/** The version of {@link ChainEnvelope} (and of {@link ChainOutcome}) this build writes and reads. */
export const ENVELOPE_VERSION = 3;

/**
 * What crosses a boundary when a chain runs elsewhere: one string, its
 * version, a colon, then structured-clone's string form of the chain and
 * the {@link EnvelopeMeta}. The version comes first so that a build can
 * name another version's envelope without decoding it.
 *
 * A string because Workers RPC carries one string faster than the objects
 * it stands for, decoding included (measured: an envelope or outcome as
 * objects costs a few percent of an RPC's time, as text nothing measurable).
 */
export type ChainEnvelope = `${typeof ENVELOPE_VERSION}:${string}`;

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

/**
 * What comes back: one string, a tag then structured-clone's string form of
 * the result (`=`) or of the Error the chain threw (`!`). A string for the
 * reason {@link ChainEnvelope} is one.
 */
export type ChainOutcome = `=${string}` | `!${string}`;
