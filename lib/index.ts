/**
 * Lumenize: type-safe calls, alarms and proxied fetches for Cloudflare
 * Durable Objects, built on operation chains (continuations) and a
 * structured-clone that keeps rich values intact across boundaries.
 *
 * Every name is listed here on purpose: what a user writes, extends or needs
 * to name. The plumbing between the capabilities (the callers and registries
 * the base classes build, the wire formats between origin, orchestrator and
 * executor, the doors' envelopes) stays in each folder's `internal.ts` or
 * inner files. `this.lmz`'s classes are exported as types only: the base
 * classes make them.
 *
 * @see https://lumenize.dev/docs/intro
 * @module
 */

// Base classes and what `this.lmz` is.
export { LumenizeBase, LumenizeWorker, LumenizeRpcTarget } from "./base";
export type { DurableObjectServices, LumenizeServices, IncomingCall } from "./base";
export type { Identity, Address } from "./envelope";

// Operation chains (continuations).
export {
  assertOperationChain,
  bindResult,
  ctn,
  describeChain,
  executeOperationChain,
  fillPlaceholders,
  getOperationChain,
  hasPlaceholder,
  OperationChainError,
  placeholder,
  runContinuation,
} from "./chains";
export type {
  AnyChain,
  ApplyOperation,
  Argument,
  Chain,
  ChainBrand,
  ChainMode,
  Continuation,
  ExecuteOptions,
  GetOperation,
  Operation,
  OperationChain,
  ResultPlaceholder,
} from "./chains";

// call: this.lmz.call / this.lmz.callRaw.
export { CallError, DEFAULT_CALL_TIMEOUT, DEFAULT_WORKER_CALL_TIMEOUT } from "./call";
export type { CallOptions, CallRawOptions, CallTarget } from "./call";

// alarms: this.lmz.alarms.
export { $schedule, AlarmsError, DEFAULT_HANDLER_TIMEOUT, MAX_ATTEMPTS, RETRY_BASE_DELAY_MS } from "./alarms";
export type {
  Alarms,
  CronSchedule,
  DeadLetter,
  DelayedSchedule,
  ExpectOptions,
  ExpiredOutcome,
  Fired,
  Interval,
  IntervalSchedule,
  KeepOptions,
  PendingOutcome,
  PendingOutcomeInfo,
  Schedule,
  ScheduleCriteria,
  ScheduledSchedule,
  ScheduleFields,
  ScheduleOptions,
  ScheduleType,
  TimeInput,
} from "./alarms";

// proxy-fetch: this.lmz.proxyFetch / this.lmz.proxyFetchSimple, and the classes to bind.
export {
  $response,
  DEFAULT_EXECUTOR_BINDING,
  DEFAULT_GRACE_PERIOD,
  DEFAULT_ORCHESTRATOR_BINDING,
  DEFAULT_ORCHESTRATOR_NAME,
  DEFAULT_ORCHESTRATOR_SHARDS,
  DEFAULT_RETRY_METHODS,
  DEFAULT_RETRY_STATUSES,
  DEFAULT_TIMEOUT,
  FetchExecutor,
  FetchExecutorRpcTarget,
  FetchOrchestrator,
  MAX_ORCHESTRATOR_SHARDS,
  orchestratorStats,
  ProxyFetchError,
} from "./proxy-fetch";
export type {
  ExecutorKind,
  FetchOrchestratorStats,
  OrchestratorOptions,
  ProxyFetchInput,
  ProxyFetchOptions,
  ProxyFetchSimpleOptions,
  RetryOptions,
} from "./proxy-fetch";

// structured-clone.
export { DataCloneError, parse, postprocess, preprocess, preprocessSync, stringify, stringifySync } from "./structured-clone";
export type { DataCloneErrorCode, Encoded, EncodedObject, Intermediate, Tag } from "./structured-clone";

// The error family.
export { ConfigurationError, InvalidInputError, LumenizeError, TimeoutError } from "./errors";
