/**
 * The data of proxy-fetch: what a caller may ask for (options), what crosses
 * the wire between origin, orchestrator and executor (jobs), and the
 * `$response` placeholder through which a continuation receives the outcome.
 */
import { placeholder, type ResultPlaceholder } from "../chains";
import type { Delivery, OriginAddress } from "../delivery";
import type { Intermediate } from "../structured-clone";

/** Where the executor or orchestrator delivers: shared with durable calls (see lib/delivery). */
export type { Delivery, OriginAddress };

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

/**
 * Default `timeout`: 20 seconds. The executor does its work under
 * `ctx.waitUntil`, which the platform ends about 30 s after the call that
 * started it returned, so keep the fetch comfortably inside that.
 */
export const DEFAULT_TIMEOUT = 20_000;
/** Default `gracePeriod`: 10 seconds on top of `timeout` before a result is presumed lost. */
export const DEFAULT_GRACE_PERIOD = 10_000;
/** Default `executorBinding`: a service binding to a `FetchExecutor` entrypoint. */
export const DEFAULT_EXECUTOR_BINDING = "FETCH_EXECUTOR";
/** Default `orchestratorBinding` of `proxyFetch`: a Durable Object namespace of `FetchOrchestrator`. */
export const DEFAULT_ORCHESTRATOR_BINDING = "FETCH_ORCHESTRATOR";
/** Default `orchestratorName`: one orchestrator instance serves the whole namespace. */
export const DEFAULT_ORCHESTRATOR_NAME = "default";
/** Methods retried by default when `retry` is on: the safe ones (RFC 9110), which change nothing at the origin. */
export const DEFAULT_RETRY_METHODS: readonly string[] = ["GET", "HEAD", "OPTIONS"];
/** Statuses retried by default when `retry` is on: rate limited, and the gateway errors that mean "try again". */
export const DEFAULT_RETRY_STATUSES: readonly number[] = [429, 502, 503, 504];

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/** Which executor runs the fetch, both reached through `executorBinding`. */
export type ExecutorKind = "worker" | "rpc-target";

/**
 * Retries of the outbound fetch, done by the executor inside `timeout`
 * (the timeout covers every attempt and the waits between them).
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  readonly attempts?: number;
  /** Milliseconds before the first retry, doubled for each retry after. Default 250. */
  readonly backoff?: number;
  /**
   * Methods that may be retried. Default {@link DEFAULT_RETRY_METHODS} (safe
   * methods only). Add `"PUT"`, `"DELETE"` or even `"POST"` only if the API
   * treats a repeat as harmless (idempotency keys).
   */
  readonly methods?: readonly string[];
  /** Response statuses retried (a failed connection always is). Default {@link DEFAULT_RETRY_STATUSES}. */
  readonly statuses?: readonly number[];
}

/** Options of `proxyFetchSimple`. Every field is optional. */
export interface ProxyFetchSimpleOptions {
  /**
   * Milliseconds the executor gives the outbound fetch (every attempt and
   * reading the body included), through its own `AbortSignal`. When it runs
   * out the continuation receives a `TimeoutError` naming the URL, delivered
   * like any result. Default {@link DEFAULT_TIMEOUT}.
   */
  readonly timeout?: number;
  /**
   * Milliseconds, beyond `timeout`, to wait for the result to come back
   * before concluding it was lost or the executor died; the continuation then
   * receives a `TimeoutError` saying so. Only this fallback uses it: a slow
   * but successful fetch is delivered, never dropped. Default
   * {@link DEFAULT_GRACE_PERIOD}.
   */
  readonly gracePeriod?: number;
  /** The service binding of the executor Worker. Default {@link DEFAULT_EXECUTOR_BINDING}. */
  readonly executorBinding?: string;
  /**
   * `"worker"` (default): call `executeFetch` on the `FetchExecutor`
   * entrypoint itself. `"rpc-target"`: ask the entrypoint for a
   * `FetchExecutorRpcTarget` (`executorTarget()`) and call `executeFetch` on
   * that.
   */
  readonly executorKind?: ExecutorKind;
  /**
   * The binding this Durable Object is reached through, used only when
   * `this.lmz.binding` is not known yet (it is learned from the first
   * Lumenize call that reaches the object). The executor needs it to
   * deliver the result.
   */
  readonly originBinding?: string;
  /** Retry failed connections and retryable statuses. Off by default; `true` takes {@link RetryOptions}' defaults. */
  readonly retry?: boolean | RetryOptions;
  /** Test hooks. */
  readonly testMode?: {
    /** The executor fetches, then drops the result instead of delivering it: the grace-period fallback must answer. */
    readonly simulateDeliveryFailure?: boolean;
  };
}

/** Options of `proxyFetch`: those of `proxyFetchSimple`, plus where the orchestrator is. */
export interface ProxyFetchOptions extends ProxyFetchSimpleOptions {
  /** The Durable Object namespace binding of `FetchOrchestrator`. Default {@link DEFAULT_ORCHESTRATOR_BINDING}. */
  readonly orchestratorBinding?: string;
  /** The orchestrator instance's name. Default {@link DEFAULT_ORCHESTRATOR_NAME}. */
  readonly orchestratorName?: string;
}

/**
 * What `FetchOrchestrator.stats()` reports: every job the orchestrator took
 * is in exactly one of these, from its enqueue until the orchestrator's
 * storage is wiped.
 */
export interface FetchOrchestratorStats {
  /** Waiting for the executor to confirm it took the job. */
  readonly pending: number;
  /** Taken by the executor; no outcome delivered yet. */
  readonly inFlight: number;
  /**
   * Ended with the executor's outcome (a Response, or the fetch's own
   * `TimeoutError` or `ProxyFetchError`) delivered to the origin.
   */
  readonly delivered: number;
  /**
   * Ended with no outcome by `timeout + gracePeriod`: the orchestrator
   * answered the origin with a `TimeoutError` (or, if it could not reach the
   * origin, the origin's own deadline did, one `gracePeriod` later).
   */
  readonly timedOut: number;
  /** Ended because the executor refused the job or could not be reached: the origin got a `ProxyFetchError`. */
  readonly failed: number;
}

/**
 * Stands, in a continuation's arguments, for the outcome of a proxied
 * fetch: the `Response` (status, headers, readable body; any status, 4xx and
 * 5xx included) or an `Error` in its place. Required by `proxyFetch` and
 * `proxyFetchSimple`.
 *
 * @example
 * ```ts
 * proxyFetch(this, url, this.ctn().onWeather($response, city));
 * ```
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export const $response: ResultPlaceholder<Response | Error> = placeholder<Response | Error>();

// ---------------------------------------------------------------------------
// The wire: internal, but typed so every hop checks what it sends.
// ---------------------------------------------------------------------------

/** Retry options with every default applied, or absent for no retry. */
export type ResolvedRetry = Required<RetryOptions>;

/** The orchestrator as the origin addressed it. */
export interface OrchestratorAddress {
  readonly binding: string;
  readonly name: string;
}

/** What an executor's `executeFetch` receives. */
export interface FetchJob {
  /** Format version. */
  readonly v: 2;
  /** The request id `proxyFetch`/`proxyFetchSimple` returned: the id of the origin's pending outcome. */
  readonly id: string;
  /** The `Request`, through structured-clone (body included). */
  readonly request: Intermediate;
  /** Milliseconds for the outbound fetch, retries included. */
  readonly timeout: number;
  readonly retry?: ResolvedRetry;
  readonly deliver: Delivery;
  /** Orchestrated only: told once the outcome is delivered, so it counts the job and forgets it. */
  readonly orchestrator?: OrchestratorAddress;
  readonly testMode?: ProxyFetchSimpleOptions["testMode"];
}

/** What the origin enqueues at the orchestrator. */
export interface OrchestratedJob {
  readonly v: 2;
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly request: Intermediate;
  readonly timeout: number;
  readonly gracePeriod: number;
  /** When the orchestrator answers a `TimeoutError` if no outcome was delivered: call time + timeout + gracePeriod, epoch ms. */
  readonly deadline: number;
  readonly deliver: Delivery;
  readonly executor: { readonly binding: string; readonly kind: ExecutorKind };
  readonly orchestrator: OrchestratorAddress;
  readonly retry?: ResolvedRetry;
  readonly testMode?: ProxyFetchSimpleOptions["testMode"];
}
