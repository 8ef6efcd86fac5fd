/**
 * `FetchOrchestrator`: the Durable Object behind `proxyFetch`. It keeps the
 * persistent queue of jobs in its SQLite, dispatches each to the executor,
 * arbitrates who answers, and expires jobs whose result never came.
 *
 * Why the arbitration lives here: the origin keeps nothing (it may be
 * evicted while the fetch runs), so the only place that sees both the
 * executor's result and the timeout is the orchestrator. Whoever answers
 * first claims the job by deleting its row, synchronously:
 * - the executor, with its Response or Error, through `__claim` (it then
 *   delivers straight to the origin: the Response never passes through here);
 * - the sweep, at `timeout + gracePeriod`, with a `TimeoutError`;
 * - the dispatch, if the executor cannot be reached, with a `ProxyFetchError`.
 * A second claim finds no row, so the continuation runs at most once. The
 * claimer delivers once and does not retry (`__executeChain` is not
 * idempotent): if the origin cannot be reached right after a claim, the
 * continuation does not run, and the loss is logged.
 */
import { LumenizeBase } from "../base";
import { InvalidInputError, TimeoutError } from "../errors";
import { chunks, MAX_JOBS_PER_EXECUTOR_CALL, reasonOf } from "./batch";
import { dispatch } from "./bindings";
import { deliverContinuation } from "./deliver";
import { ProxyFetchError } from "./errors";
import { JobTable, originOf, type Counters, type JobRow } from "./store";
import type { FetchJob, FetchOrchestratorStats, JobClaim, OrchestratedJob } from "./types";

/** The id of the orchestrator's one schedule: the sweep at the earliest deadline. */
const SWEEP_ID = "proxy-fetch:sweep";

/**
 * The orchestrator of `proxyFetch`: a persistent queue of proxied fetches.
 * Export it from your Worker and bind it as a Durable Object namespace
 * (default binding `FETCH_ORCHESTRATOR`, instance `"default"`).
 *
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export class FetchOrchestrator<Env = Cloudflare.Env> extends LumenizeBase<Env> {
  readonly #jobs: JobTable;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#jobs = new JobTable(ctx.storage);
  }

  /** Jobs waiting and in flight now, and outcomes so far: for monitoring. */
  stats(): FetchOrchestratorStats {
    const counts = this.#jobs.countByState();
    return { pending: counts.pending ?? 0, inFlight: counts["in-flight"] ?? 0, ...this.#jobs.counters() };
  }

  /**
   * The timeout: answers every job past its deadline with a `TimeoutError`,
   * then re-arms for the next deadline. Runs from this object's alarm;
   * calling it early does nothing, since it only touches jobs already due.
   */
  async sweep(): Promise<void> {
    const due = this.#jobs.claimDue(Date.now());
    const next = this.#jobs.nextDeadline();
    if (next !== undefined) this.lmz.alarms.schedule(new Date(next), this.ctn().sweep(), { id: SWEEP_ID });
    await Promise.all(due.map((row) => this.#answer(row, new TimeoutError(timeoutMessage(row)))));
  }

  /**
   * Plumbing for `proxyFetch`: stores the jobs (each once, whatever the
   * retries) and hands them to their executors after replying. Returns once
   * the jobs are durable.
   *
   * @throws {InvalidInputError} if any job is malformed; none is stored.
   */
  __enqueue(jobs: OrchestratedJob[]): void {
    if (!Array.isArray(jobs)) throw new InvalidInputError("Malformed proxy-fetch enqueue: expected an array of jobs. Enqueue with proxyFetch(), not by hand.");
    jobs.forEach(assertOrchestratedJob);
    const now = Date.now();
    const added: OrchestratedJob[] = [];
    let earliest = Infinity;
    for (const job of jobs) {
      const budget = job.timeout + job.gracePeriod;
      const row = { id: job.id, method: job.method, url: job.url, origin: JSON.stringify(job.origin), continuation: job.continuation, deadline: now + budget, budget };
      if (!this.#jobs.insert(row)) continue;
      added.push(job);
      earliest = Math.min(earliest, row.deadline);
    }
    if (added.length === 0) return;
    const current = this.lmz.alarms.getSchedule(SWEEP_ID);
    if (!current || current.time > earliest) this.lmz.alarms.schedule(new Date(earliest), this.ctn().sweep(), { id: SWEEP_ID });
    // Jobs for the same executor travel together, as they came.
    const byExecutor = new Map<string, OrchestratedJob[]>();
    for (const job of added) {
      const key = `${job.executor.binding}:${job.executor.kind}`;
      const group = byExecutor.get(key);
      if (group) group.push(job);
      else byExecutor.set(key, [job]);
    }
    for (const group of byExecutor.values()) {
      for (const chunk of chunks(group, MAX_JOBS_PER_EXECUTOR_CALL)) this.ctx.waitUntil(this.#dispatch(chunk));
    }
  }

  /**
   * Plumbing for the executor: claims the job for its result. Returns the
   * origin and continuation to deliver to, or `null` if the job was already
   * answered (the timeout won).
   */
  __claim(id: string): JobClaim | null {
    if (typeof id !== "string") return null;
    const row = this.#claim(id, "delivered");
    return row ? { origin: originOf(row), continuation: row.continuation } : null;
  }

  /** Claims one job; with the queue empty, the sweep has nothing left to wait for. */
  #claim(id: string, outcome: keyof Counters): JobRow | undefined {
    const row = this.#jobs.claim(id, outcome);
    if (row && this.#jobs.nextDeadline() === undefined) this.lmz.alarms.cancelSchedule(SWEEP_ID);
    return row;
  }

  async #dispatch(jobs: OrchestratedJob[]): Promise<void> {
    const fetchJobs = jobs.map(
      (job): FetchJob => ({
        v: 1,
        id: job.id,
        request: job.request,
        timeout: job.timeout,
        reply: { kind: "orchestrator", binding: job.orchestrator.binding, name: job.orchestrator.name },
        ...(job.retry ? { retry: job.retry } : {}),
        ...(job.testMode ? { testMode: job.testMode } : {}),
      }),
    );
    const refusals = await dispatch(this.env, jobs[0].executor, fetchJobs);
    await Promise.all(
      jobs.map(async (job, i) => {
        const refusal = refusals[i];
        if (refusal === null) {
          this.#jobs.accepted(job.id);
          return;
        }
        const row = this.#claim(job.id, "failed");
        if (!row) return;
        const error = new ProxyFetchError(
          `proxy-fetch ${job.id}: ${job.method} ${job.url} could not be handed to the executor "${job.executor.binding}": ${reasonOf(refusal)}`,
          { cause: refusal },
        );
        await this.#answer(row, error);
      }),
    );
  }

  #answer(row: JobRow, error: Error): Promise<void> {
    return deliverContinuation(this.env, originOf(row), row.continuation, error, { caller: this.lmz.identity, requestId: row.id });
  }
}

function timeoutMessage(row: JobRow): string {
  const why =
    row.state === "pending"
      ? "the executor never accepted it"
      : "the executor died, or its result was lost on the way back";
  return `proxy-fetch ${row.id}: ${row.method} ${row.url} got no result within timeout + gracePeriod (${row.budget} ms): ${why}.`;
}

function assertOrchestratedJob(job: unknown): asserts job is OrchestratedJob {
  const { v, id, method, url, continuation, origin, timeout, gracePeriod, executor, orchestrator } = (job ?? {}) as Partial<OrchestratedJob>;
  const ok =
    v === 1 &&
    typeof id === "string" &&
    typeof method === "string" &&
    typeof url === "string" &&
    typeof continuation === "string" &&
    typeof origin?.binding === "string" &&
    typeof origin?.id === "string" &&
    typeof timeout === "number" &&
    timeout > 0 &&
    typeof gracePeriod === "number" &&
    gracePeriod >= 0 &&
    typeof executor?.binding === "string" &&
    typeof orchestrator?.binding === "string" &&
    typeof orchestrator?.name === "string";
  if (!ok) throw new InvalidInputError("Malformed proxy-fetch job: enqueue jobs with proxyFetch(), not by hand.");
}
