/**
 * The base classes: `LumenizeBase` (Durable Object), `LumenizeWorker`
 * (WorkerEntrypoint) and `LumenizeRpcTarget` (RpcTarget). Each gives
 * `this.ctn()`, `this.lmz` (identity and services) and the `__executeChain`
 * door that call, alarms and proxy-fetch go through.
 *
 * @see https://lumenize.dev/docs/foundations/base-classes
 * @module
 */
export { LumenizeBase } from "./lumenize-base";
export { LumenizeWorker } from "./lumenize-worker";
export { LumenizeRpcTarget } from "./lumenize-rpc-target";
export type { LumenizeServices, DurableObjectServices } from "./services";
export type { IncomingCall } from "./door";
export type { ChainDoor, DurableDoor, SettleDoor } from "./doors";
