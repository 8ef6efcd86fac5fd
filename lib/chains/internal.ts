/**
 * What the rest of lib/ uses from chains and users do not: the registries
 * behind the security rules, filled by the base classes, and the list of
 * members a chain enters, for the door's `onBeforeCall`, and a chain proxy
 * rebuilt from a chain reworked as data (durable calls store their
 * continuation after `bindResult` through it), and the bounded check of
 * arrays that arrive at a door. Not re-exported by
 * the package (`index.ts` is the public face).
 */
export { registerChainHost, registerPlatformHandle } from "./security";
export { enteredMembers } from "./describe";
export { chainFrom } from "./record";
export { executeValidChainEagerly } from "./execute";
export { isDenseArray } from "./validate";
