/**
 * The doors as a stub reaches them, typed once: read off the base classes'
 * own methods, so a caller's stub type cannot drift from what answers it.
 */
import type { LumenizeBase } from "./lumenize-base";

/** The door every Lumenize host has (`__executeChain`): runs a chain sent from elsewhere. Never rejects. */
export type ChainDoor = Pick<LumenizeBase<unknown>, "__executeChain">;

/**
 * The settle doors of a `LumenizeBase` (`__settle`, and `__settleAll` for
 * several): deliver the outcome a pending outcome waits for. Never reject.
 */
export type SettleDoor = Pick<LumenizeBase<unknown>, "__settle" | "__settleAll">;

/**
 * The door of durable calls (`__acceptChains`), on `LumenizeBase` and
 * `LumenizeWorker` alike: per call, `null` (taken) or why not. Synchronous
 * on the class; through a stub its answer arrives as a Promise.
 */
export type DurableDoor = Pick<LumenizeBase<unknown>, "__acceptChains">;
