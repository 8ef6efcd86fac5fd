/**
 * proxy-fetch: a Durable Object's outbound `fetch`, run by a Worker executor
 * (billed CPU, not DO wall-clock) and delivered back, exactly once, to a
 * continuation that receives the `Response` or an `Error` through
 * `$response`. Two strategies: `proxyFetch` (a `FetchOrchestrator` DO keeps
 * the queue) and `proxyFetchSimple` (one alarm on the caller is the only
 * record).
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
  ExecutorKind,
  FetchJob,
  FetchOrchestratorStats,
  FetchReply,
  JobClaim,
  OrchestratedJob,
  OriginAddress,
  ProxyFetchOptions,
  ProxyFetchSimpleOptions,
  ResolvedRetry,
  RetryOptions,
} from "./types";
