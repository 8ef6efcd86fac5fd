/**
 * `proxyFetch` and `proxyFetchSimple`: the call sites. Both validate
 * synchronously, return the request id, and do the rest in the background
 * (reading a Request body, handing the job over, batched with the other
 * calls of the same synchronous stretch), so the calling Durable Object
 * waits only for a hand-over, never for the fetch itself.
 */
import type { LumenizeBase } from "../base";
import { runContinuation, type AnyChain } from "../chains";
import { TimeoutError } from "../errors";
import { stringifySync, type Intermediate } from "../structured-clone";
import { chunks, collect, MAX_JOBS_PER_ENQUEUE, MAX_JOBS_PER_EXECUTOR_CALL, reasonOf, retrying } from "./batch";
import { dispatch, namespace, type OrchestratorStub } from "./bindings";
import { sealResult } from "./deliver";
import { ProxyFetchError } from "./errors";
import { prepare, sealRequest, type PreparedFetch, type ProxyFetchInput } from "./prepare";
import {
  DEFAULT_ORCHESTRATOR_BINDING,
  DEFAULT_ORCHESTRATOR_NAME,
  type FetchJob,
  type OrchestratedJob,
  type ProxyFetchOptions,
  type ProxyFetchSimpleOptions,
} from "./types";

/** Attempts at enqueuing at the orchestrator (idempotent there, so safe to repeat). */
const ENQUEUE_ATTEMPTS = 3;
const ENQUEUE_BACKOFF_MS = 100;

/**
 * Fetches `request` through an executor Worker, without an orchestrator,
 * and later, exactly once, runs `continuation` on `host` with the `Response`
 * (or an `Error`) where `$response` stands. Returns the request id at once.
 *
 * The only thing stored is one alarm on `host`, id `fetch-<id>`, firing at
 * `timeout + gracePeriod`: its continuation is the job's only record.
 * Whichever cancels that alarm first, the arriving result or the firing
 * timeout, runs the continuation.
 *
 * @example
 * ```ts
 * proxyFetchSimple(this, url, this.ctn().onWeather($response, city));
 * ```
 * @throws {ProxyFetchError} at the call site for an invalid URL, an
 *   unreadable body, a missing executor or origin binding, a continuation
 *   without `$response`, or bad options; nothing is stored.
 * @throws {DataCloneError} for a continuation argument that cannot be stored.
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export function proxyFetchSimple(
  host: LumenizeBase<unknown>,
  request: ProxyFetchInput,
  continuation: AnyChain,
  options: ProxyFetchSimpleOptions = {},
): string {
  const prepared = prepare("proxyFetchSimple", host, request, continuation, options);
  const id = crypto.randomUUID();
  const scheduleId = `fetch-${id}`;
  const lost = new TimeoutError(
    `proxy-fetch ${id}: ${prepared.method} ${prepared.url} got no result within timeout + gracePeriod (${prepared.timeout} + ${prepared.gracePeriod} ms): the executor died, or its result was lost on the way back.`,
  );
  host.lmz.alarms.schedule(new Date(Date.now() + prepared.timeout + prepared.gracePeriod), continuation, { id: scheduleId, result: lost });
  const { binding, kind } = prepared.executor;
  collect(host, `simple:${binding}:${kind}`, { prepared, id, scheduleId }, handOver, (work) => keepAlive(host, work));
  return id;
}

/**
 * Fetches `request` through the `FetchOrchestrator` and an executor Worker,
 * and later, exactly once, runs `continuation` on `host` with the `Response`
 * (or an `Error`) where `$response` stands. Returns the request id at once.
 *
 * The job (request, continuation, where to deliver) is enqueued at the
 * orchestrator, which dispatches it, tracks it (`stats()`) and answers with
 * a `TimeoutError` at `timeout + gracePeriod` if no result came. `host`
 * stores nothing, so it may be evicted meanwhile.
 *
 * @example
 * ```ts
 * proxyFetch(this, url, this.ctn().onWeather($response, city));
 * ```
 * @throws {ProxyFetchError} at the call site as {@link proxyFetchSimple},
 *   and for a missing orchestrator binding; nothing is sent.
 * @throws {DataCloneError} for a continuation argument that cannot be sent.
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export function proxyFetch(host: LumenizeBase<unknown>, request: ProxyFetchInput, continuation: AnyChain, options: ProxyFetchOptions = {}): string {
  const prepared = prepare("proxyFetch", host, request, continuation, options);
  const orchestrator = { binding: options.orchestratorBinding ?? DEFAULT_ORCHESTRATOR_BINDING, name: options.orchestratorName ?? DEFAULT_ORCHESTRATOR_NAME };
  const stub = namespace(
    prepared.env,
    orchestrator.binding,
    "orchestrator",
    `proxyFetch() needs FetchOrchestrator bound as a Durable Object (SQLite) namespace: export it from your Worker and add { "name": "${orchestrator.binding}", "class_name": "FetchOrchestrator" } to wrangler.jsonc, or use proxyFetchSimple().`,
  ).getByName(orchestrator.name) as unknown as OrchestratorStub;
  const continuationText = stringifySync(prepared.chain);
  const id = crypto.randomUUID();
  const item: QueuedHandOver = { prepared, id, stub, orchestrator, continuation: continuationText };
  collect(host, `orchestrator:${orchestrator.binding}:${orchestrator.name}`, item, enqueue, (work) => keepAlive(host, work));
  return id;
}

// ---------------------------------------------------------------------------
// After the call site: read bodies, hand the jobs over, in batches
// ---------------------------------------------------------------------------

interface SimpleHandOver {
  readonly prepared: PreparedFetch;
  readonly id: string;
  readonly scheduleId: string;
}

interface QueuedHandOver {
  readonly prepared: PreparedFetch;
  readonly id: string;
  readonly stub: OrchestratorStub;
  readonly orchestrator: { readonly binding: string; readonly name: string };
  readonly continuation: string;
}

/** Simple strategy: jobs go straight to the executor, up to {@link MAX_JOBS_PER_EXECUTOR_CALL} per invocation. */
async function handOver(batch: SimpleHandOver[]): Promise<void> {
  const { env, executor } = batch[0].prepared;
  const ready = await withBodies(batch, simpleJob, settleNow);
  await Promise.all(
    chunks(ready, MAX_JOBS_PER_EXECUTOR_CALL).map(async (chunk) => {
      const refusals = await dispatch(env, executor, chunk.map(({ job }) => job));
      await Promise.all(chunk.map(({ item }, i) => (refusals[i] === null ? undefined : settleNow(item, refusals[i]))));
    }),
  );
}

function simpleJob({ prepared, id, scheduleId }: SimpleHandOver, request: FetchJob["request"]): FetchJob {
  return {
    v: 1,
    id,
    request,
    timeout: prepared.timeout,
    reply: { kind: "schedule", origin: prepared.origin, scheduleId },
    ...(prepared.retry ? { retry: prepared.retry } : {}),
    ...(prepared.testMode ? { testMode: prepared.testMode } : {}),
  };
}

/**
 * The job never reached the executor: answer now rather than at the timeout.
 * If the executor did get it after all, its later delivery finds the alarm
 * gone and is dropped.
 */
async function settleNow({ prepared, id, scheduleId }: SimpleHandOver, cause: unknown): Promise<void> {
  const error = handOverError(prepared, id, `the executor "${prepared.executor.binding}"`, cause);
  await prepared.host.__settleSchedule(scheduleId, await sealResult(error));
}

/** Orchestrated strategy: one enqueue (per {@link MAX_JOBS_PER_ENQUEUE} jobs) at the orchestrator. */
async function enqueue(batch: QueuedHandOver[]): Promise<void> {
  const { stub } = batch[0];
  const ready = await withBodies(batch, queuedJob, answerHere);
  await Promise.all(
    chunks(ready, MAX_JOBS_PER_ENQUEUE).map(async (chunk) => {
      try {
        // Idempotent at the orchestrator (one row per id), so a retry after a lost ack adds nothing.
        await retrying(ENQUEUE_ATTEMPTS, ENQUEUE_BACKOFF_MS, () => stub.__enqueue(chunk.map(({ job }) => job)));
      } catch (cause) {
        await Promise.all(chunk.map(({ item }) => answerHere(item, cause)));
      }
    }),
  );
}

/** Reads each item's Request body and builds its job; an item whose body cannot be read goes to `fail` instead. */
async function withBodies<I extends { readonly prepared: PreparedFetch }, J>(
  batch: readonly I[],
  build: (item: I, request: Intermediate) => J,
  fail: (item: I, cause: unknown) => Promise<void>,
): Promise<{ item: I; job: J }[]> {
  const ready: { item: I; job: J }[] = [];
  await Promise.all(
    batch.map(async (item) => {
      try {
        ready.push({ item, job: build(item, await sealRequest(item.prepared)) });
      } catch (cause) {
        await fail(item, cause);
      }
    }),
  );
  return ready;
}

function queuedJob({ prepared, id, orchestrator, continuation }: QueuedHandOver, request: OrchestratedJob["request"]): OrchestratedJob {
  return {
    v: 1,
    id,
    method: prepared.method,
    url: prepared.url,
    request,
    continuation,
    origin: prepared.origin,
    timeout: prepared.timeout,
    gracePeriod: prepared.gracePeriod,
    executor: prepared.executor,
    orchestrator,
    ...(prepared.retry ? { retry: prepared.retry } : {}),
    ...(prepared.testMode ? { testMode: prepared.testMode } : {}),
  };
}

/** Not enqueued: the continuation is still here, in memory, so run it now with the Error. */
async function answerHere({ prepared, id, orchestrator }: QueuedHandOver, cause: unknown): Promise<void> {
  const error = handOverError(prepared, id, `the orchestrator "${orchestrator.binding}"`, cause);
  await runContinuation(prepared.chain, prepared.host, error, `proxy-fetch ${id}`);
}

function handOverError(prepared: PreparedFetch, id: string, to: string, cause: unknown): ProxyFetchError {
  return new ProxyFetchError(`proxy-fetch ${id}: ${prepared.method} ${prepared.url} could not be handed to ${to}: ${reasonOf(cause)}`, { cause });
}

function keepAlive(host: LumenizeBase<unknown>, work: Promise<void>): void {
  const guarded = work.catch((error: unknown) => console.error("[lumenize] proxy-fetch: unexpected failure", error));
  (host as unknown as { ctx: DurableObjectState }).ctx.waitUntil(guarded);
}
