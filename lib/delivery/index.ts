/**
 * Delivery: getting an outcome home to a pending outcome on another Durable
 * Object (made there with `this.lmz.alarms.expect()`), through its
 * `__settle` door, with retries until the origin's deadline. Shared by
 * proxy-fetch (the executor and the orchestrator deliver) and durable calls
 * (the remote delivers). Internal plumbing, not part of the package's
 * public face.
 *
 * @module
 */
export { deliver, isDelivery, originNamespace, originStub, type SettleDoor } from "./deliver";
export type { Delivery, OriginAddress } from "./types";
