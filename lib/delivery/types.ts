import type { ChainEnvelope } from "../envelope";

/** Where a pending outcome lives: the Durable Object that made it (with `this.lmz.alarms.expect()`). */
export interface OriginAddress {
  /** The binding of its namespace, in the deliverer's `env`. */
  readonly binding: string;
  readonly name?: string;
  /** `ctx.id` as hex, used when there is no name. */
  readonly id: string;
}

/**
 * Where an outcome goes: the origin's pending outcome, through its
 * `__settle` door. Safe to repeat: only the first delivery runs the
 * continuation.
 */
export interface Delivery {
  readonly origin: OriginAddress;
  /** The pending outcome's token: the door refuses a delivery without it. */
  readonly token: string;
  /** The origin's own deadline, epoch milliseconds: past it the origin has answered, so delivering stops. */
  readonly deadline: number;
}

/** One durable call as the caller hands it to the remote's `__acceptChains` door. */
export interface HandOver {
  /** The chain, with its call id (the outcome's id on the caller). */
  readonly envelope: ChainEnvelope;
  /** Where, and with which token, the remote delivers the outcome. */
  readonly delivery: Delivery;
}
