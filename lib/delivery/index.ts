/**
 * Delivery: moving work and outcomes between objects. Outcomes go home to
 * a pending outcome on another Durable Object (made there with
 * `this.lmz.alarms.expect()`) through its `__settle`/`__settleAll` doors,
 * with retries until the origin's deadline; what is made in one
 * synchronous stretch travels in one batch. Shared by proxy-fetch (the
 * executor and the orchestrator deliver) and durable calls (the caller
 * hands over, the remote delivers). Internal plumbing, not part of the
 * package's public face.
 *
 * @module
 */
export { chunks, collect, fittingSlices } from "./batch";
export { deliver, deliverAll, isDelivery, isRefusal, originNamespace, originStub, untilDeadline, type Settlement } from "./deliver";
export type { Delivery, HandOver, OriginAddress } from "./types";
