/**
 * Execution context shared by the chain executor and the base classes:
 * who sent the chain now running (`this.lmz.caller`), and a durable call's
 * id (`this.lmz.callId`). Internal plumbing, not part of the package's
 * public face.
 *
 * @module
 */
export { getCaller, getCallId, requireCallerContext, withCaller } from "./caller";
