/**
 * What an executor does with a job, shared by `FetchExecutor` and
 * `FetchExecutorRpcTarget`: accept it at once, then, under the host's
 * `waitUntil`, fetch with the job's own timeout (and retries, if asked),
 * deliver the Response or Error to the origin's pending outcome, and, for
 * an orchestrated job, tell the orchestrator.
 */
import { InvalidInputError, TimeoutError } from "../errors";
import { describeThrown } from "../errors/internal";
import { isDenseArray } from "../chains/internal";
import { postprocess } from "../structured-clone";
import { deliver, isDelivery } from "../delivery";
import { reportDelivered, sealResult } from "./deliver";
import { ProxyFetchError } from "./errors";
import { MAX_RETRY_ATTEMPTS, type FetchJob, type ResolvedRetry } from "./types";

/** Statuses whose Response cannot carry a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Checks `job` and starts it under `keepAlive`; returns before the fetch
 * starts, so the caller (a Durable Object) is not billed while it runs.
 * @throws {InvalidInputError} for a malformed job: nothing is started.
 */
export function acceptFetchJob(env: unknown, job: unknown, keepAlive: (work: Promise<unknown>) => void): void {
  assertFetchJob(job);
  keepAlive(runFetchJob(env, job));
}

/**
 * Accepts each of `jobs` through `accept` (an executor's `executeFetch`, so
 * subclasses that override it are honoured) and returns, per job, `null` or
 * why it was refused: one bad job does not sink the others.
 * @throws {InvalidInputError} if `jobs` is not an array.
 */
export function acceptEach(jobs: unknown, accept: (job: FetchJob) => void): (string | null)[] {
  if (!isDenseArray<FetchJob>(jobs)) throw new InvalidInputError("executeFetches takes an array of jobs, with no holes, made by this.lmz.proxyFetch()/proxyFetchSimple().");
  return jobs.map((job) => {
    try {
      accept(job);
      return null;
    } catch (error) {
      return describeThrown(error);
    }
  });
}

/** Fetches and delivers. Never rejects: every failure ends as a delivered Error or a log line. */
export async function runFetchJob(env: unknown, job: FetchJob): Promise<void> {
  const result = await performFetch(job);
  const ran = await deliver(env, job.deliver, job.id, await sealResult(result), `proxy-fetch ${job.id}`);
  if (ran === false) console.warn(`[lumenize] proxy-fetch ${job.id}: the result arrived after the outcome was decided (the timeout answered); dropped.`);
  if (ran && job.orchestrator) await reportDelivered(env, job.orchestrator, job.id, job.deliver.token);
}

/**
 * The outbound fetch: a Response with its body read, or an Error naming the
 * URL. The one `AbortSignal.timeout` covers every attempt, the waits between
 * them, and reading the body.
 */
export async function performFetch(job: FetchJob): Promise<Response | Error> {
  let request: Request;
  try {
    request = postprocess(job.request) as Request;
    if (!(request instanceof Request)) throw new TypeError("the job's request is not a Request");
  } catch (cause) {
    return new ProxyFetchError(`proxy-fetch ${job.id}: the request could not be rebuilt: ${describeThrown(cause)}`, { cause });
  }
  const { method, url } = request;
  const signal = AbortSignal.timeout(job.timeout);
  const retry = job.retry && job.retry.methods.includes(method) ? job.retry : undefined;
  const attempts = retry?.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= attempts;
    try {
      // Rebuilt per attempt: a body can be sent only once.
      const response = await fetch(attempt === 1 ? request : (postprocess(job.request) as Request), { signal });
      if (!last && retry!.statuses.includes(response.status)) {
        await response.body?.cancel();
        await pause(backoffOf(retry!, attempt), signal);
        continue;
      }
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (cause) {
      if (signal.aborted) {
        const tries = attempt > 1 ? ` (${attempt} attempts)` : "";
        return new TimeoutError(
          `proxy-fetch ${job.id}: ${method} ${url} got no complete response within its timeout of ${job.timeout} ms${tries}. Raise options.timeout if the API is this slow.`,
        );
      }
      if (last) {
        const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
        return new ProxyFetchError(`proxy-fetch ${job.id}: ${method} ${url} failed${tries}: ${describeThrown(cause)}`, { cause });
      }
      try {
        await pause(backoffOf(retry!, attempt), signal);
      } catch {
        // The timeout ran out while waiting: the next attempt reports it.
      }
    }
  }
}

function backoffOf(retry: ResolvedRetry, attempt: number): number {
  return retry.backoff * 2 ** (attempt - 1);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    function abort(): void {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", abort, { once: true });
  });
}

/** @throws {InvalidInputError} unless `job` is a well-formed {@link FetchJob}. */
export function assertFetchJob(job: unknown): asserts job is FetchJob {
  const fail = (problem: string) =>
    new InvalidInputError(`Malformed proxy-fetch job: ${problem}. Jobs are made by this.lmz.proxyFetch()/proxyFetchSimple(); do not call executeFetch() by hand.`);
  if (typeof job !== "object" || job === null || (job as { v?: unknown }).v !== 2) throw fail("expected { v: 2, ... }");
  const { id, request, timeout, retry, deliver, orchestrator } = job as Partial<FetchJob>;
  if (typeof id !== "string" || id === "") throw fail("no id");
  if (request === undefined || request === null) throw fail("no request");
  if (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout)) throw fail("timeout must be a positive number of milliseconds");
  if (!isDelivery(deliver)) throw fail("incomplete delivery (origin, token, deadline)");
  if (retry !== undefined && !isResolvedRetry(retry)) throw fail("retry must be { attempts, backoff, methods, statuses }, every field given");
  if (orchestrator !== undefined && (typeof orchestrator?.binding !== "string" || typeof orchestrator?.name !== "string")) throw fail("incomplete orchestrator");
}

/**
 * Whether `retry` has the shape `proxyFetch` resolves retry options to. A
 * job from elsewhere is checked here, where it is handed over: the executor
 * reads these fields only once the job runs under `waitUntil`, where a
 * malformed one would throw with no one to answer the origin.
 */
function isResolvedRetry(retry: unknown): retry is ResolvedRetry {
  if (typeof retry !== "object" || retry === null) return false;
  const { attempts, backoff, methods, statuses } = retry as Partial<ResolvedRetry>;
  return (
    Number.isInteger(attempts) &&
    attempts! >= 1 &&
    attempts! <= MAX_RETRY_ATTEMPTS &&
    typeof backoff === "number" &&
    Number.isFinite(backoff) &&
    backoff >= 0 &&
    isDenseArray(methods) &&
    methods.every((method) => typeof method === "string") &&
    isDenseArray(statuses) &&
    statuses.every((status) => Number.isInteger(status))
  );
}
