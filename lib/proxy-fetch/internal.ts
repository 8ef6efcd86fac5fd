/**
 * What the rest of lib/ uses from proxy-fetch and users do not: the
 * `ProxyFetch` a `LumenizeBase` builds for `this.lmz`. Not re-exported by the
 * package (`index.ts` is the public face). Kept apart from `index.ts` also
 * because that exports `FetchOrchestrator` and `FetchExecutor`, which extend
 * the base classes: the base classes importing it would be an import cycle.
 */
export { ProxyFetch } from "./proxy-fetch";
export type { ProxyFetchHost } from "./prepare";
