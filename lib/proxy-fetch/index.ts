/**
 * proxy-fetch: a Durable Object's outbound `fetch`, run by a Worker executor
 * (billed CPU, not DO wall-clock) and delivered back, exactly once, to a
 * continuation that receives the `Response` or an `Error` through
 * `$response`. Two strategies: `proxyFetch` (a `FetchOrchestrator` DO keeps
 * the queue) and `proxyFetchSimple` (no orchestrator). Both store one
 * pending outcome on the caller (`this.lmz.alarms.expect`), which decides,
 * once, between the delivered outcome and the deadline.
 *
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 * @module
 */
export { proxyFetch, proxyFetchSimple } from "./proxy-fetch";
export type { ProxyFetchInput } from "./prepare";
export { FetchExecutor, FetchExecutorRpcTarget } from "./executors";
export { FetchOrchestrator } from "./orchestrator";
export { ProxyFetchError } from "./errors";
export {
  $response,
  DEFAULT_EXECUTOR_BINDING,
  DEFAULT_GRACE_PERIOD,
  DEFAULT_ORCHESTRATOR_BINDING,
  DEFAULT_ORCHESTRATOR_NAME,
  DEFAULT_RETRY_METHODS,
  DEFAULT_RETRY_STATUSES,
  DEFAULT_TIMEOUT,
} from "./types";
export type {
  Delivery,
  ExecutorKind,
  FetchJob,
  FetchOrchestratorStats,
  OrchestratedJob,
  OrchestratorAddress,
  OriginAddress,
  ProxyFetchOptions,
  ProxyFetchSimpleOptions,
  ResolvedRetry,
  RetryOptions,
} from "./types";
