/**
 * call: run a chain on another Durable Object or Worker from a synchronous
 * call site, and get the result (or an Error) later through a continuation
 * of your own (`this.lmz.call`), or awaited (`this.lmz.callRaw`). With
 * `{ durable: true }`, the continuation is stored and runs exactly once even
 * if the caller restarts before the result comes home.
 *
 * @see https://lumenize.dev/docs/capabilities/call
 * @module
 */
export { CallError } from "./errors";
export { DEFAULT_CALL_TIMEOUT, DEFAULT_WORKER_CALL_TIMEOUT, type CallOptions, type CallRawOptions, type CallTarget } from "./types";
