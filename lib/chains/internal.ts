/**
 * What the rest of lib/ uses from chains and users do not: the registries
 * behind the security rules, filled by the base classes, and the list of
 * members a chain enters, for the door's `onBeforeCall`. Not re-exported by
 * the package (`index.ts` is the public face).
 */
export { registerChainHost, registerPlatformHandle } from "./security";
export { enteredMembers } from "./describe";
