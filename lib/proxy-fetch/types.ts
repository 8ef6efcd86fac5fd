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
/** Default `orchestratorName`: the name the orchestrator instances share (`"default"`, or `"default/0"` … with shards). */
export const DEFAULT_ORCHESTRATOR_NAME = "default";
/**
 * Default `orchestratorShards`: 16 orchestrator instances share the jobs,
 * each origin always using the same one. An idle instance costs nothing, and
 * 16 of them take 16 times the requests per second one Durable Object can
 * (see the Performance page's "Limits and capacity").
 */
export const DEFAULT_ORCHESTRATOR_SHARDS = 16;
/** The most `orchestratorShards` allowed: `orchestratorStats()` asks every one. */
export const MAX_ORCHESTRATOR_SHARDS = 1_000;
/** The most attempts `retry.attempts` allows, the first included. */
export const MAX_RETRY_ATTEMPTS = 10;
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
  /** For tests only. */
  readonly testMode?: {
    /**
     * The executor fetches and delivers, but with a token that opens nothing:
     * this object's door refuses the delivery, as if it were lost, and the
     * timeout path answers (`timeout + gracePeriod` later). Nothing about it
     * travels with the job, so no executor or orchestrator, and no job sent
     * from elsewhere, can turn it on: only the call site can.
     */
    readonly simulateDeliveryFailure?: boolean;
  };
}

/** Where the orchestrator instances are: the options `proxyFetch` and `orchestratorStats()` share. */
export interface OrchestratorOptions {
  /** The Durable Object namespace binding of `FetchOrchestrator`. Default {@link DEFAULT_ORCHESTRATOR_BINDING}. */
  readonly orchestratorBinding?: string;
  /**
   * The name of the orchestrator instance, or with more than one shard the
   * prefix of theirs (`"<name>/0"` to `"<name>/<shards - 1>"`). Default
   * {@link DEFAULT_ORCHESTRATOR_NAME}.
   */
  readonly orchestratorName?: string;
  /**
   * How many orchestrator instances share the jobs, a whole number from 1 to
   * {@link MAX_ORCHESTRATOR_SHARDS}. Each origin sends all its jobs to one of
   * them, chosen by a hash of its id, so the jobs it hands over together
   * still travel in one enqueue. Changing it is safe for jobs in flight (each
   * job names the instance it went to), but `orchestratorStats()` with the
   * new count no longer sees instances beyond it. Default
   * {@link DEFAULT_ORCHESTRATOR_SHARDS}.
   */
  readonly orchestratorShards?: number;
}

/** Options of `proxyFetch`: those of `proxyFetchSimple`, plus where the orchestrator instances are. */
export interface ProxyFetchOptions extends ProxyFetchSimpleOptions, OrchestratorOptions {}

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
 * this.lmz.proxyFetch(url, this.ctn().onWeather($response, city));
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

/**
 * What an executor's `executeFetch` receives. Anything holding the executor's
 * service binding can send one, so it carries nothing that makes the executor
 * do less than fetch and deliver.
 */
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
}

/** What the origin enqueues at the orchestrator. */
export interface OrchestratedJob {
  readonly v: 3;
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly gracePeriod: number;
  /** When the orchestrator answers a `TimeoutError` if no outcome was delivered: call time + timeout + gracePeriod, epoch ms. */
  readonly deadline: number;
  /** Where the orchestrator delivers its own answer (a `TimeoutError`, a failed hand-over). */
  readonly deliver: Delivery;
  readonly executor: { readonly binding: string; readonly kind: ExecutorKind };
  /** The job as the executor gets it, made by the origin and passed on untouched (its `id` is this job's). */
  readonly job: FetchJob;
}
