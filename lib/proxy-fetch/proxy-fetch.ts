/**
 * `proxyFetch` and `proxyFetchSimple`: the call sites. Both validate
 * synchronously, store the continuation as one pending outcome on the
 * calling Durable Object (`this.lmz.alarms.expect`), return the request id,
 * and do the rest in the background (reading a Request body, handing the job
 * over, batched with the other calls of the same synchronous stretch), so
 * the calling Durable Object waits only for a hand-over, never for the
 * fetch itself.
 *
 * The pending outcome is what makes the continuation run exactly once:
 * whatever delivers (the executor, the orchestrator, a failed hand-over
 * here) settles it with its token, and only the first claim, or its
 * deadline, runs the continuation.
 */
import type { LumenizeBase } from "../base";
import type { AnyChain } from "../chains";
import { chunks, collect, MAX_JOBS_PER_ENQUEUE, MAX_JOBS_PER_EXECUTOR_CALL, reasonOf, retrying } from "./batch";
import { dispatch, namespace, type OrchestratorStub } from "./bindings";
import { ProxyFetchError } from "./errors";
import { prepare, sealRequest, type PreparedFetch, type ProxyFetchInput } from "./prepare";
import {
  DEFAULT_ORCHESTRATOR_BINDING,
  DEFAULT_ORCHESTRATOR_NAME,
  type Delivery,
  type FetchJob,
  type OrchestratedJob,
  type OrchestratorAddress,
  type ProxyFetchOptions,
  type ProxyFetchSimpleOptions,
} from "./types";
import type { Intermediate } from "../structured-clone";

/** Attempts at enqueuing at the orchestrator (idempotent there, so safe to repeat). */
const ENQUEUE_ATTEMPTS = 3;
const ENQUEUE_BACKOFF_MS = 100;

/**
 * Fetches `request` through an executor Worker, without an orchestrator,
 * and later, exactly once, runs `continuation` on `host` with the `Response`
 * (or an `Error`) where `$response` stands. Returns the request id at once.
 *
 * The only thing stored is one pending outcome on `host`
 * (`this.lmz.alarms.expect`), id the request id, deadline `timeout +
 * gracePeriod`: the executor delivers to it, and if nothing came by the
 * deadline, it answers with a `TimeoutError`. Only the first of the two runs
 * the continuation.
 *
 * @example
 * ```ts
 * proxyFetchSimple(this, url, this.ctn().onWeather($response, city));
 * ```
 * @throws {ProxyFetchError} at the call site for an invalid URL, an
 *   unreadable body, a missing executor or origin binding, a continuation
 *   without `$response`, or bad options (a `timeout` or `gracePeriod` that
 *   is not a duration a Date can hold, say); nothing is stored.
 * @throws {DataCloneError} for a continuation argument that cannot be stored.
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export function proxyFetchSimple(
  host: LumenizeBase<unknown>,
  request: ProxyFetchInput,
  continuation: AnyChain,
  options: ProxyFetchSimpleOptions = {},
): string {
  const prepared = prepare("simple", host, request, continuation, options);
  const id = crypto.randomUUID();
  const lost = `proxy-fetch ${id}: ${prepared.method} ${prepared.url} got no result within timeout + gracePeriod (${prepared.timeout} + ${prepared.gracePeriod} ms): the executor died, or its result was lost on the way back.`;
  const deliver = expectOutcome(prepared, continuation, id, lost);
  const { binding, kind } = prepared.executor;
  collect(host, `simple:${binding}:${kind}`, { prepared, id, deliver }, handOver, (work) => keepAlive(prepared, work));
  return id;
}

/**
 * Fetches `request` through the `FetchOrchestrator` and an executor Worker,
 * and later, exactly once, runs `continuation` on `host` with the `Response`
 * (or an `Error`) where `$response` stands. Returns the request id at once.
 *
 * `host` stores one pending outcome, as {@link proxyFetchSimple} does; the
 * job goes to the orchestrator, which dispatches it, tracks it (`stats()`),
 * sends it again after its own restart (if its method may be repeated), and
 * answers with a `TimeoutError` at `timeout + gracePeriod` if no outcome
 * came. Only if the orchestrator cannot answer either does `host`'s own
 * deadline, one `gracePeriod` later, answer. `host` may be evicted meanwhile.
 *
 * @example
 * ```ts
 * proxyFetch(this, url, this.ctn().onWeather($response, city));
 * ```
 * @throws {ProxyFetchError} at the call site as {@link proxyFetchSimple},
 *   and for a missing orchestrator binding; nothing is stored or sent.
 * @throws {DataCloneError} for a continuation argument that cannot be stored.
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export function proxyFetch(host: LumenizeBase<unknown>, request: ProxyFetchInput, continuation: AnyChain, options: ProxyFetchOptions = {}): string {
  const prepared = prepare("orchestrated", host, request, continuation, options);
  const orchestrator = { binding: options.orchestratorBinding ?? DEFAULT_ORCHESTRATOR_BINDING, name: options.orchestratorName ?? DEFAULT_ORCHESTRATOR_NAME };
  const stub = namespace(
    prepared.env,
    orchestrator.binding,
    "orchestrator",
    `proxyFetch() needs FetchOrchestrator bound as a Durable Object (SQLite) namespace: export it from your Worker and add { "name": "${orchestrator.binding}", "class_name": "FetchOrchestrator" } to wrangler.jsonc, or use proxyFetchSimple().`,
  ).getByName(orchestrator.name) as unknown as OrchestratorStub;
  const id = crypto.randomUUID();
  const lost = `proxy-fetch ${id}: ${prepared.method} ${prepared.url} got no answer within timeout + 2 × gracePeriod (${prepared.timeout} + 2 × ${prepared.gracePeriod} ms): neither the executor nor the orchestrator "${orchestrator.binding}" answered (the job never reached the orchestrator, or it could not reach this object).`;
  const deliver = expectOutcome(prepared, continuation, id, lost);
  const item: QueuedHandOver = { prepared, id, deliver, stub, orchestrator };
  collect(host, `orchestrator:${orchestrator.binding}:${orchestrator.name}`, item, enqueue, (work) => keepAlive(prepared, work));
  return id;
}

/** Stores the continuation as the pending outcome `id`; returns where and how to deliver to it. */
function expectOutcome(prepared: PreparedFetch, continuation: AnyChain, id: string, timeoutMessage: string): Delivery {
  const { token, deadline } = prepared.host.lmz.alarms.expect(continuation, { id, deadline: prepared.backstop, timeoutMessage });
  return { origin: prepared.origin, token, deadline };
}

// ---------------------------------------------------------------------------
// After the call site: read bodies, hand the jobs over, in batches
// ---------------------------------------------------------------------------

interface HandOver {
  readonly prepared: PreparedFetch;
  readonly id: string;
  readonly deliver: Delivery;
}

interface QueuedHandOver extends HandOver {
  readonly stub: OrchestratorStub;
  readonly orchestrator: OrchestratorAddress;
}

/** Simple strategy: jobs go straight to the executor, up to {@link MAX_JOBS_PER_EXECUTOR_CALL} per invocation. */
async function handOver(batch: HandOver[]): Promise<void> {
  const { env, executor } = batch[0].prepared;
  const ready = await withBodies(batch, simpleJob, (item, cause) => answerHere(item, `the executor "${executor.binding}"`, cause));
  await Promise.all(
    chunks(ready, MAX_JOBS_PER_EXECUTOR_CALL).map(async (chunk) => {
      const refusals = await dispatch(env, executor, chunk.map(({ job }) => job));
      await Promise.all(chunk.map(({ item }, i) => (refusals[i] === null ? undefined : answerHere(item, `the executor "${executor.binding}"`, refusals[i]))));
    }),
  );
}

function simpleJob({ prepared, id, deliver }: HandOver, request: Intermediate): FetchJob {
  return {
    v: 2,
    id,
    request,
    timeout: prepared.timeout,
    deliver,
    ...(prepared.retry ? { retry: prepared.retry } : {}),
    ...(prepared.testMode ? { testMode: prepared.testMode } : {}),
  };
}

/** Orchestrated strategy: one enqueue (per {@link MAX_JOBS_PER_ENQUEUE} jobs) at the orchestrator. */
async function enqueue(batch: QueuedHandOver[]): Promise<void> {
  const { stub, orchestrator } = batch[0];
  const to = `the orchestrator "${orchestrator.binding}"`;
  const ready = await withBodies(batch, queuedJob, (item, cause) => answerHere(item, to, cause));
  await Promise.all(
    chunks(ready, MAX_JOBS_PER_ENQUEUE).map(async (chunk) => {
      try {
        // All or nothing at the orchestrator, and idempotent (one row per id), so a retry after a lost ack adds nothing.
        await retrying(ENQUEUE_ATTEMPTS, ENQUEUE_BACKOFF_MS, () => stub.__enqueue(chunk.map(({ job }) => job)));
      } catch (cause) {
        await Promise.all(chunk.map(({ item }) => answerHere(item, to, cause)));
      }
    }),
  );
}

function queuedJob({ prepared, id, deliver, orchestrator }: QueuedHandOver, request: Intermediate): OrchestratedJob {
  return {
    v: 2,
    id,
    method: prepared.method,
    url: prepared.url,
    request,
    timeout: prepared.timeout,
    gracePeriod: prepared.gracePeriod,
    deadline: prepared.deadline,
    deliver,
    executor: prepared.executor,
    orchestrator,
    ...(prepared.retry ? { retry: prepared.retry } : {}),
    ...(prepared.testMode ? { testMode: prepared.testMode } : {}),
  };
}

/** Reads each item's Request body and builds its job; an item whose body cannot be read goes to `fail` instead. */
async function withBodies<I extends HandOver, J>(
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

/**
 * The job was not handed over: answer now rather than at the deadline. If it
 * did arrive after all, whatever it delivers later finds the outcome settled.
 */
async function answerHere({ prepared, id, deliver }: HandOver, to: string, cause: unknown): Promise<void> {
  const error = new ProxyFetchError(`proxy-fetch ${id}: ${prepared.method} ${prepared.url} could not be handed to ${to}: ${reasonOf(cause)}`, { cause });
  await prepared.host.lmz.alarms.settle(id, deliver.token, error);
}

function keepAlive({ runtime }: PreparedFetch, work: Promise<void>): void {
  runtime.waitUntil(work.catch((error: unknown) => console.error("[lumenize] proxy-fetch: unexpected failure", error)));
}
