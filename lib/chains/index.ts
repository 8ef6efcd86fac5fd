/**
 * Operation chains (continuations): typed, serializable recordings of
 * property reads and calls, built with `ctn()` and run later, elsewhere, by
 * `executeOperationChain()`. Every capability that "calls you back" (call,
 * alarms, proxy-fetch) stores or sends one of these instead of a function.
 *
 * @see https://lumenize.dev/docs/foundations/continuations
 * @module
 */
export type {
  Argument,
  ApplyOperation,
  AnyChain,
  Chain,
  ChainBrand,
  ChainMode,
  Continuation,
  GetOperation,
  Operation,
  OperationChain,
  ResultPlaceholder,
} from "./types";
export { ctn, getOperationChain, placeholder, bindResult, hasPlaceholder, fillPlaceholders } from "./record";
export { executeOperationChain, executeOperationChainEagerly, runContinuation, type ExecuteOptions } from "./execute";
export { assertOperationChain } from "./validate";
export { describeChain } from "./describe";
export { OperationChainError } from "./errors";
