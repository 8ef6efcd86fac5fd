/**
 * `FetchOrchestrator`: the Durable Object behind `proxyFetch`. It keeps the
 * persistent queue of jobs in its SQLite, dispatches each to the executor,
 * sends again what its own restart stranded, answers jobs whose outcome
 * never came, and counts how every job ended.
 *
 * What it does not do is decide. The continuation stays on the origin, in a
 * pending outcome, and whoever delivers there first (the executor with its
 * Response or Error, or this orchestrator with a `TimeoutError` or a
 * `ProxyFetchError`) runs it; the others are refused. So nothing here can run
 * a continuation twice, and a delivery can be repeated until it gets
 * through. If this orchestrator cannot answer at all, the origin's own
 * deadline, one `gracePeriod` after this one's, does.
 *
 * Sending a job twice fetches twice. A job still unconfirmed when this
 * object restarts may or may not have reached an executor, so it is sent
 * again only if its method may be repeated (`retry.methods`, by default the
 * safe methods GET, HEAD and OPTIONS); any other waits for its deadline.
 * A job the executor took is never sent again: the executor delivers to the
 * origin without this object's help.
 */
import { LumenizeBase } from "../base";
import { isDenseArray } from "../chains/internal";
import { InvalidInputError, TimeoutError } from "../errors";
import { describeThrown } from "../errors/internal";
import { chunks, MAX_JOBS_PER_EXECUTOR_CALL } from "./batch";
import { dispatch } from "./bindings";
import { deliver, isDelivery } from "../delivery";
import { sealResult } from "./deliver";
import { ProxyFetchError } from "./errors";
import { deliveryOf, JobTable, type Counters, type JobRow } from "./store";
import { assertFetchJob } from "./execute";
import { DEFAULT_RETRY_METHODS, type FetchJob, type FetchOrchestratorStats, type OrchestratedJob } from "./types";

/** The id of the orchestrator's one schedule: the sweep. */
const SWEEP_ID = "proxy-fetch:sweep";
/**
 * How soon after a hand-over the sweep checks that the executor took the
 * jobs. If this object died meanwhile, that check is what wakes a new
 * instance to send the stranded jobs again.
 */
const RESEND_CHECK_MS = 1_000;
/** A job larger than this (its body, mostly) is not stored for sending again: a SQLite row holds at most 2 MB. */
const MAX_STORED_JOB_CHARS = 128 * 1024;
/** The largest time a Date can hold, in epoch milliseconds. */
const MAX_TIME = 8.64e15;

/** A job as handed to an executor. */
interface Dispatch {
  readonly executor: OrchestratedJob["executor"];
  readonly job: FetchJob;
}

/**
 * The orchestrator of `proxyFetch`: a persistent queue of proxied fetches.
 * Export it from your Worker and bind it as a Durable Object namespace
 * (default binding `FETCH_ORCHESTRATOR`, instance `"default"`).
 *
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export class FetchOrchestrator<Env = Cloudflare.Env> extends LumenizeBase<Env> {
  readonly #jobs: JobTable;
  /** Jobs this instance is handing to an executor now. A new instance has none, so its pending jobs were stranded. */
  readonly #dispatching = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#jobs = new JobTable(ctx.storage);
  }

  /** Jobs waiting and in flight now, and how jobs ended so far: for monitoring. */
  stats(): FetchOrchestratorStats {
    const counts = this.#jobs.countByState();
    return { pending: (counts.pending ?? 0) + (counts.unconfirmed ?? 0), inFlight: counts["in-flight"] ?? 0, ...this.#jobs.counters() };
  }

  /**
   * Runs from this object's alarm: answers every job past its deadline with
   * a `TimeoutError`, sends again the jobs a previous instance stranded,
   * then re-arms. Calling it early does no harm: it only touches jobs
   * already due, or not being handed over by this instance.
   * @internal Plumbing: this object's sweep schedule runs it.
   */
  sweep(): void {
    const now = Date.now();
    const due = this.#jobs.timeOutDue(now);
    this.#resendStranded(now);
    this.#rearm(now);
    // Answered in the background: an origin that is slow to take its answer does not hold up the sweep.
    for (const row of due) this.ctx.waitUntil(this.#answer(row, new TimeoutError(timeoutMessage(row)), "timedOut"));
  }

  /**
   * Plumbing for `proxyFetch`: stores the jobs, all or none (each once,
   * whatever the retries), and hands them to their executors after
   * replying. Returns once the jobs are durable.
   *
   * @throws {InvalidInputError} if any job is malformed; none is stored.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __enqueue(jobs: OrchestratedJob[]): void {
    if (!isDenseArray(jobs)) throw new InvalidInputError("Malformed proxy-fetch enqueue: expected an array of jobs, with no holes. Enqueue with this.lmz.proxyFetch(), not by hand.");
    jobs.forEach(assertOrchestratedJob);
    if (jobs.length === 0) return;
    const now = Date.now();
    const dispatches = jobs.map(dispatchOf);
    const rows = jobs.map((job, i) => rowOf(job, dispatches[i]));
    // The sweep first: if storing the jobs fails, a sweep that finds nothing is harmless.
    this.#sweepBy(jobs.reduce((soonest, job) => Math.min(soonest, job.deadline), now + RESEND_CHECK_MS));
    // One transaction: a failure part-way stores no job, so the origin's retry is not taken for a duplicate.
    const added = this.ctx.storage.transactionSync(() => dispatches.filter((_, i) => this.#jobs.insert(rows[i])));
    this.#dispatchAll(added);
  }

  /**
   * Plumbing for the executor: the outcome of job `id` reached its origin.
   * Ends the job as delivered if `token` is its token; otherwise does nothing.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __delivered(id: string, token: string): void {
    if (typeof id !== "string" || typeof token !== "string") return;
    if (this.#jobs.delivered(id, token)) this.#stopSweepIfIdle();
  }

  /** Hands the jobs to their executors, those for the same executor together, as they came. */
  #dispatchAll(all: readonly Dispatch[]): void {
    const byExecutor = new Map<string, Dispatch[]>();
    for (const one of all) {
      const key = `${one.executor.binding}:${one.executor.kind}`;
      const group = byExecutor.get(key);
      if (group) group.push(one);
      else byExecutor.set(key, [one]);
    }
    for (const group of byExecutor.values()) {
      for (const chunk of chunks(group, MAX_JOBS_PER_EXECUTOR_CALL)) this.ctx.waitUntil(this.#dispatch(chunk));
    }
  }

  async #dispatch(chunk: Dispatch[]): Promise<void> {
    for (const { job } of chunk) this.#dispatching.add(job.id);
    const refusals = await dispatch(this.env, chunk[0].executor, chunk.map(({ job }) => job));
    await Promise.all(
      chunk.map(async ({ job, executor }, i) => {
        this.#dispatching.delete(job.id);
        const refusal = refusals[i];
        if (refusal === null) return this.#jobs.accepted(job.id);
        const row = this.#jobs.fail(job.id);
        if (!row) return;
        this.#stopSweepIfIdle();
        const error = new ProxyFetchError(`proxy-fetch ${row.id}: ${row.method} ${row.url} could not be handed to the executor "${executor.binding}": ${describeThrown(refusal)}`, {
          cause: refusal,
        });
        await this.#answer(row, error, "failed");
      }),
    );
  }

  /** Pending jobs no hand-over of this instance covers: a previous instance stopped while handing them over. */
  #resendStranded(now: number): void {
    const again: Dispatch[] = [];
    for (const row of this.#jobs.pending()) {
      if (this.#dispatching.has(row.id)) continue;
      if (row.dispatch !== null && row.deadline > now) again.push(JSON.parse(row.dispatch) as Dispatch);
      else this.#jobs.unconfirmed(row.id);
    }
    if (again.length > 0) console.warn(`[lumenize] proxy-fetch: the orchestrator restarted while handing ${again.length} job(s) over; sending them again.`);
    this.#dispatchAll(again);
  }

  /**
   * Delivers the orchestrator's own answer, a timeout or a failure, already
   * counted under `bucket`. If the origin had its outcome already, before its
   * own deadline, the executor's outcome got there first: count it so.
   */
  async #answer(row: JobRow, error: Error, bucket: keyof Counters): Promise<void> {
    const ran = await deliver(this.env, deliveryOf(row), row.id, await sealResult(error), `proxy-fetch ${row.id}`);
    if (ran === false && Date.now() < row.backstop) this.#jobs.recount(bucket, "delivered");
  }

  /** Sets the sweep for the next deadline, sooner while jobs wait for the executor; none when no job is left. */
  #rearm(now: number): void {
    const next = Math.min(this.#jobs.nextDeadline() ?? Infinity, this.#jobs.anyPending() ? now + RESEND_CHECK_MS : Infinity);
    if (next === Infinity) this.lmz.alarms.cancelSchedule(SWEEP_ID);
    else this.lmz.alarms.schedule(new Date(next), this.ctn().sweep(), { id: SWEEP_ID });
  }

  /** With no job left, the sweep has nothing to wait for. (While jobs remain, a sweep that comes early just re-arms.) */
  #stopSweepIfIdle(): void {
    if (this.#jobs.nextDeadline() === undefined) this.lmz.alarms.cancelSchedule(SWEEP_ID);
  }

  /** Makes sure the sweep runs by `time`. */
  #sweepBy(time: number): void {
    const current = this.lmz.alarms.getSchedule(SWEEP_ID);
    if (!current || current.time > time) this.lmz.alarms.schedule(new Date(time), this.ctn().sweep(), { id: SWEEP_ID });
  }
}

/** The job as the executor gets it: as the origin made it. */
function dispatchOf(job: OrchestratedJob): Dispatch {
  return { executor: job.executor, job: job.job };
}

function rowOf(job: OrchestratedJob, dispatch: Dispatch): Omit<JobRow, "state"> {
  const repeatable = (job.job.retry?.methods ?? DEFAULT_RETRY_METHODS).includes(job.method);
  const text = repeatable ? JSON.stringify(dispatch) : null;
  return {
    id: job.id,
    method: job.method,
    url: job.url,
    origin: JSON.stringify(job.deliver.origin),
    token: job.deliver.token,
    deadline: job.deadline,
    backstop: job.deliver.deadline,
    budget: job.job.timeout + job.gracePeriod,
    dispatch: text !== null && text.length <= MAX_STORED_JOB_CHARS ? text : null,
  };
}

function timeoutMessage(row: JobRow): string {
  const why =
    row.state === "pending"
      ? "the executor never confirmed it took the job"
      : row.state === "unconfirmed"
        ? `the orchestrator restarted before the executor confirmed it took the job, and a ${row.method} is not sent twice (see retry.methods)`
        : "the executor died, or its result was lost on the way back";
  return `proxy-fetch ${row.id}: ${row.method} ${row.url} got no result within timeout + gracePeriod (${row.budget} ms): ${why}.`;
}

function assertOrchestratedJob(value: unknown): asserts value is OrchestratedJob {
  const { v, id, method, url, gracePeriod, deadline, deliver, executor, job } = (value ?? {}) as Partial<OrchestratedJob>;
  try {
    assertFetchJob(job);
  } catch (error) {
    throw new InvalidInputError("Malformed proxy-fetch job: enqueue jobs with this.lmz.proxyFetch(), not by hand.", { cause: error });
  }
  const ok =
    v === 3 &&
    typeof id === "string" &&
    job.id === id &&
    job.orchestrator !== undefined &&
    typeof method === "string" &&
    typeof url === "string" &&
    isDuration(job.timeout) &&
    isDuration(gracePeriod) &&
    typeof deadline === "number" &&
    Math.abs(deadline) <= MAX_TIME &&
    isDelivery(deliver) &&
    Math.abs(deliver.deadline) <= MAX_TIME &&
    typeof executor?.binding === "string";
  if (!ok) throw new InvalidInputError("Malformed proxy-fetch job: enqueue jobs with this.lmz.proxyFetch(), not by hand.");
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= MAX_TIME;
}
