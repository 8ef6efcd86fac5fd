/**
 * The doors as a stub reaches them, typed once: read off the base classes'
 * own methods, so a caller's stub type cannot drift from what answers it.
 */
import type { LumenizeBase } from "./lumenize-base";

/** Methods as a stub reaches them: whatever the class returns, the answer arrives as a Promise. */
type ThroughStub<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

/**
 * The doors every Lumenize host has: `__executeChain` runs a chain sent from
 * elsewhere, `__executeChains` several sent together (a `LumenizeBase` and a
 * `LumenizeWorker`). Never reject, but for a malformed batch.
 */
export type ChainDoor = ThroughStub<Pick<LumenizeBase<unknown>, "__executeChain" | "__executeChains">>;

/**
 * The settle doors of a `LumenizeBase` (`__settle`, and `__settleAll` for
 * several): deliver the outcome a pending outcome waits for. Never reject.
 */
export type SettleDoor = ThroughStub<Pick<LumenizeBase<unknown>, "__settle" | "__settleAll">>;

/**
 * The door of durable calls (`__acceptChains`), on `LumenizeBase` and
 * `LumenizeWorker` alike: per call, `null` (taken) or why not.
 */
export type DurableDoor = ThroughStub<Pick<LumenizeBase<unknown>, "__acceptChains">>;
