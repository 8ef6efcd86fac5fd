/**
 * What the rest of lib/ uses from call and users do not: the `Caller` each
 * base class builds for `this.lmz.call`/`callRaw`, and what a Durable Object
 * lends it for durable calls. Not re-exported by the
 * package (`index.ts` is the public face).
 */
export { Caller, type CallerHost } from "./caller";
export type { DurableHost } from "./durable";
