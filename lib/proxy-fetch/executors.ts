/**
 * The two executors. Both run the same `acceptFetchJob`: they differ only in
 * how a Durable Object reaches them.
 * - `FetchExecutor` is a `WorkerEntrypoint`, reached through a service
 *   binding (`executorKind: "worker"`, the default).
 * - `FetchExecutorRpcTarget` is an `RpcTarget`. An RpcTarget has no binding
 *   of its own, so a DO reaches it through the entrypoint that makes it:
 *   `FetchExecutor.executorTarget()` (`executorKind: "rpc-target"`). Subclass
 *   `FetchExecutor` and override `executorTarget()` to hand out your own
 *   subclass of the target.
 */
import { LumenizeRpcTarget, LumenizeWorker } from "../base";
import { acceptEach, acceptFetchJob } from "./execute";
import type { FetchJob } from "./types";

/**
 * The executor Worker entrypoint: runs a Durable Object's outbound fetch, so
 * the waiting is billed as Worker CPU time, not DO wall-clock time. Export
 * it from your Worker and bind it as a service (default binding
 * `FETCH_EXECUTOR`).
 *
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export class FetchExecutor<Env = Cloudflare.Env> extends LumenizeWorker<Env> {
  /**
   * Accepts `job` and returns at once; the fetch and the delivery run under
   * `ctx.waitUntil`. Called by `proxyFetch`/`proxyFetchSimple`, not by hand.
   *
   * @throws {InvalidInputError} for a malformed job.
   */
  executeFetch(job: FetchJob): void {
    acceptFetchJob(this.env, job, (work) => this.ctx.waitUntil(work));
  }

  /**
   * {@link executeFetch} for each of `jobs` (what proxy-fetch calls: jobs
   * handed over together share one invocation). Returns, per job, `null` if
   * accepted or why it was refused.
   */
  executeFetches(jobs: FetchJob[]): (string | null)[] {
    return acceptEach(jobs, (job) => this.executeFetch(job));
  }

  /**
   * A `FetchExecutorRpcTarget` sharing this invocation's bindings and
   * `waitUntil`: how `executorKind: "rpc-target"` reaches one.
   */
  executorTarget(): FetchExecutorRpcTarget {
    return new FetchExecutorRpcTarget(this.env, (work) => this.ctx.waitUntil(work));
  }
}

/**
 * The executor as an `RpcTarget`, with the same `executeFetch` as
 * {@link FetchExecutor}. Made by `FetchExecutor.executorTarget()`.
 *
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export class FetchExecutorRpcTarget extends LumenizeRpcTarget {
  readonly #env: unknown;
  readonly #waitUntil: (work: Promise<unknown>) => void;

  /**
   * @param env the bindings to deliver through (the origin's namespace, the orchestrator's).
   * @param waitUntil the `ctx.waitUntil` of the invocation that made this
   *   target: the work outlives the `executeFetch` call that started it.
   */
  constructor(env: unknown, waitUntil: (work: Promise<unknown>) => void) {
    super(env);
    this.#env = env;
    this.#waitUntil = waitUntil;
  }

  /** As {@link FetchExecutor.executeFetch}. */
  executeFetch(job: FetchJob): void {
    acceptFetchJob(this.#env, job, this.#waitUntil);
  }

  /** As {@link FetchExecutor.executeFetches}. */
  executeFetches(jobs: FetchJob[]): (string | null)[] {
    return acceptEach(jobs, (job) => this.executeFetch(job));
  }
}
