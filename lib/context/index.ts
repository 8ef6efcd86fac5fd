/**
 * Execution context shared by the chain executor and the base classes:
 * who sent the chain now running (`this.lmz.caller`). Internal plumbing, not
 * part of the package's public face.
 *
 * @module
 */
export { getCaller, requireCallerContext, withCaller } from "./caller";
