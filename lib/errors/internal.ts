/**
 * What the rest of lib/ uses from errors and users do not: not re-exported by
 * the package (`index.ts` is the public face).
 */
export { describeThrown } from "./describe";
