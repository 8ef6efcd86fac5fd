/**
 * The doors as a stub reaches them, typed once: read off the base classes'
 * own methods, so a caller's stub type cannot drift from what answers it.
 */
import type { LumenizeBase } from "./lumenize-base";

/** The door every Lumenize host has (`__executeChain`): runs a chain sent from elsewhere. Never rejects. */
export type ChainDoor = Pick<LumenizeBase<unknown>, "__executeChain">;

/** The settle door of a `LumenizeBase` (`__settle`): delivers the outcome a pending outcome waits for. Never rejects. */
export type SettleDoor = Pick<LumenizeBase<unknown>, "__settle">;
