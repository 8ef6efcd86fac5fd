/**
 * What the rest of lib/ uses from call and users do not: the `Caller` each
 * base class builds for `this.lmz.call`/`callRaw`. Not re-exported by the
 * package (`index.ts` is the public face).
 */
export { Caller, type CallerHost } from "./caller";
