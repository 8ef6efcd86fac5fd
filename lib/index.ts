/**
 * Lumenize: type-safe calls, alarms and proxied fetches for Cloudflare
 * Durable Objects, built on operation chains (continuations) and a
 * structured-clone that keeps rich values intact across boundaries.
 *
 * @see https://lumenize.dev/docs/intro
 * @module
 */
export * from "./alarms";
export * from "./base";
export * from "./call";
export * from "./chains";
export * from "./errors";
export * from "./proxy-fetch";
export * from "./structured-clone";
export type { Identity, Address } from "./envelope";
