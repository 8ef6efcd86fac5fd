/**
 * proxy-fetch: a Durable Object's outbound `fetch`, run by a Worker executor
 * (billed CPU, not DO wall-clock) and delivered back, exactly once, to a
 * continuation that receives the `Response` or an `Error` through
 * `$response`. Two strategies, both on `this.lmz` of a `LumenizeBase`:
 * `this.lmz.proxyFetch` (a `FetchOrchestrator` DO keeps the queue) and
 * `this.lmz.proxyFetchSimple` (no orchestrator). Both store one pending
 * outcome on the caller (`this.lmz.alarms.expect`), which decides, once,
 * between the delivered outcome and the deadline.
 *
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 * @module
 */
export type { ProxyFetchInput } from "./prepare";
export { FetchExecutor, FetchExecutorRpcTarget } from "./executors";
export { FetchOrchestrator } from "./orchestrator";
export { ProxyFetchError } from "./errors";
export { orchestratorStats } from "./shards";
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
  MAX_ORCHESTRATOR_SHARDS,
} from "./types";
export type { ExecutorKind, FetchOrchestratorStats, OrchestratorOptions, ProxyFetchOptions, ProxyFetchSimpleOptions, RetryOptions } from "./types";
