/**
 * `ProxyFetch`: the call sites behind `this.lmz.proxyFetch` and
 * `this.lmz.proxyFetchSimple`. Both validate synchronously, store the
 * continuation as one pending outcome on the calling Durable Object
 * (`this.lmz.alarms.expect`), return the request id, and do the rest in the
 * background (reading a Request body, handing the job over, batched with the
 * other calls of the same synchronous stretch), so the calling Durable
 * Object waits only for a hand-over, never for the fetch itself.
 *
 * The pending outcome is what makes the continuation run exactly once:
 * whatever delivers (the executor, the orchestrator, a failed hand-over
 * here) settles it with its token, and only the first claim, or its
 * deadline, runs the continuation.
 *
 * This module imports nothing that extends the base classes (the
 * orchestrator, the executors), so `LumenizeBase` can build a `ProxyFetch`
 * without an import cycle.
 */
import type { AnyChain } from "../chains";
import { describeThrown } from "../errors/internal";
import { oversize, RPC_MESSAGE_LIMIT, rpcSize } from "../envelope";
import { InvalidInputError } from "../errors";
import { collect, fittingSlices, MAX_JOBS_PER_ENQUEUE, MAX_JOBS_PER_EXECUTOR_CALL, retrying } from "./batch";
import { dispatch, orchestratorStub, type OrchestratorStub } from "./bindings";
import { ProxyFetchError } from "./errors";
import { prepare, sealRequest, type PreparedFetch, type ProxyFetchHost, type ProxyFetchInput } from "./prepare";
import { orchestratorOf } from "./shards";
import {
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
 * The proxied fetches of one `LumenizeBase`, made by its constructor.
 * Users reach it as `this.lmz.proxyFetch` and `this.lmz.proxyFetchSimple`
 * (see `DurableObjectServices` for the contract).
 */
export class ProxyFetch {
  readonly #host: ProxyFetchHost;

  constructor(host: ProxyFetchHost) {
    this.#host = host;
  }

  /** Without an orchestrator: the executor delivers straight to the pending outcome. */
  simple(request: ProxyFetchInput, continuation: AnyChain, options: ProxyFetchSimpleOptions = {}): string {
    const prepared = prepare("simple", this.#host, request, continuation, options);
    const id = crypto.randomUUID();
    const lost = `proxy-fetch ${id}: ${prepared.method} ${prepared.url} got no result within timeout + gracePeriod (${prepared.timeout} + ${prepared.gracePeriod} ms): the executor died, or its result was lost on the way back.`;
    const deliver = expectOutcome(prepared, continuation, id, lost);
    const { binding, kind } = prepared.executor;
    collect(this.#host, `simple:${binding}:${kind}`, { prepared, id, deliver }, handOver, (work) => keepAlive(prepared, work));
    return id;
  }

  /** Through the `FetchOrchestrator`, which dispatches, tracks and times out the job. */
  orchestrated(request: ProxyFetchInput, continuation: AnyChain, options: ProxyFetchOptions = {}): string {
    const prepared = prepare("orchestrated", this.#host, request, continuation, options);
    const orchestrator = orchestratorOf(options, this.#host.self.id);
    const stub = orchestratorStub(prepared.env, orchestrator);
    const id = crypto.randomUUID();
    const lost = `proxy-fetch ${id}: ${prepared.method} ${prepared.url} got no answer within timeout + 2 × gracePeriod (${prepared.timeout} + 2 × ${prepared.gracePeriod} ms): neither the executor nor the orchestrator "${orchestrator.binding}" answered (the job never reached the orchestrator, or it could not reach this object).`;
    const deliver = expectOutcome(prepared, continuation, id, lost);
    const item: QueuedHandOver = { prepared, id, deliver, stub, orchestrator };
    collect(this.#host, `orchestrator:${orchestrator.binding}:${orchestrator.name}`, item, enqueue, (work) => keepAlive(prepared, work));
    return id;
  }
}

/** Stores the continuation as the pending outcome `id`; returns where and how to deliver to it. */
function expectOutcome(prepared: PreparedFetch, continuation: AnyChain, id: string, timeoutMessage: string): Delivery {
  const { token, deadline } = prepared.host.alarms.expect(continuation, { id, deadline: prepared.backstop, timeoutMessage });
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
    fittingSlices(ready, sizeOf, MAX_JOBS_PER_EXECUTOR_CALL).map(async (chunk) => {
      const refusals = await dispatch(env, executor, chunk.map(({ job }) => job));
      await Promise.all(chunk.map(({ item }, i) => (refusals[i] === null ? undefined : answerHere(item, `the executor "${executor.binding}"`, refusals[i]))));
    }),
  );
}

/** The job as the executor gets it, `orchestrator` being where it reports delivery (orchestrated only). */
function fetchJob({ prepared, id, deliver }: HandOver, request: Intermediate, orchestrator?: OrchestratorAddress): FetchJob {
  return {
    v: 2,
    id,
    request,
    timeout: prepared.timeout,
    deliver: prepared.testMode?.simulateDeliveryFailure ? { ...deliver, token: DECOY_TOKEN } : deliver,
    ...(orchestrator ? { orchestrator } : {}),
    ...(prepared.retry ? { retry: prepared.retry } : {}),
  };
}

/**
 * What `testMode.simulateDeliveryFailure` gives the executor instead of the
 * pending outcome's token: the door refuses it, as it refuses any wrong token.
 */
const DECOY_TOKEN = "testMode.simulateDeliveryFailure";

function simpleJob(item: HandOver, request: Intermediate): FetchJob {
  return fetchJob(item, request);
}

/** Orchestrated strategy: one enqueue (per {@link MAX_JOBS_PER_ENQUEUE} jobs) at the orchestrator. */
async function enqueue(batch: QueuedHandOver[]): Promise<void> {
  const { stub, orchestrator } = batch[0];
  const to = `the orchestrator "${orchestrator.binding}"`;
  const ready = await withBodies(batch, queuedJob, (item, cause) => answerHere(item, to, cause));
  await Promise.all(
    fittingSlices(ready, sizeOf, MAX_JOBS_PER_ENQUEUE).map(async (chunk) => {
      try {
        // All or nothing at the orchestrator, and idempotent (one row per id), so a retry after a lost ack adds nothing.
        await retrying(ENQUEUE_ATTEMPTS, ENQUEUE_BACKOFF_MS, () => stub.__enqueue(chunk.map(({ job }) => job)));
      } catch (cause) {
        await Promise.all(chunk.map(({ item }) => answerHere(item, to, cause)));
      }
    }),
  );
}

function queuedJob(item: QueuedHandOver, request: Intermediate): OrchestratedJob {
  const { prepared, id, deliver, orchestrator } = item;
  return {
    v: 3,
    id,
    method: prepared.method,
    url: prepared.url,
    gracePeriod: prepared.gracePeriod,
    deadline: prepared.deadline,
    deliver,
    executor: prepared.executor,
    job: fetchJob(item, request, orchestrator),
  };
}

/**
 * Reads each item's Request body and builds its job; an item whose body
 * cannot be read, or whose job is too big for one RPC message, goes to
 * `fail` instead.
 */
async function withBodies<I extends HandOver, J>(
  batch: readonly I[],
  build: (item: I, request: Intermediate) => J,
  fail: (item: I, cause: unknown) => Promise<void>,
): Promise<Ready<I, J>[]> {
  const ready: Ready<I, J>[] = [];
  await Promise.all(
    batch.map(async (item) => {
      try {
        const job = build(item, await sealRequest(item.prepared));
        // Alone in the message that carries it (an array of jobs).
        const size = rpcSize([[job]]);
        if (size > RPC_MESSAGE_LIMIT) throw new InvalidInputError(`${oversize([[job]])}. Send a smaller body, or split it over several requests.`);
        ready.push({ item, job, size });
      } catch (cause) {
        await fail(item, cause);
      }
    }),
  );
  return ready;
}

/** A job built, with its size in the RPC message that carries it. */
interface Ready<I, J> {
  readonly item: I;
  readonly job: J;
  readonly size: number;
}

const sizeOf = ({ size }: Ready<unknown, unknown>): number => size;

/**
 * The job was not handed over: answer now rather than at the deadline. If it
 * did arrive after all, whatever it delivers later finds the outcome settled.
 */
async function answerHere({ prepared, id, deliver }: HandOver, to: string, cause: unknown): Promise<void> {
  const error = new ProxyFetchError(`proxy-fetch ${id}: ${prepared.method} ${prepared.url} could not be handed to ${to}: ${describeThrown(cause)}`, { cause });
  await prepared.host.alarms.settle(id, deliver.token, error);
}

function keepAlive({ host }: PreparedFetch, work: Promise<void>): void {
  host.waitUntil(work.catch((error: unknown) => console.error("[lumenize] proxy-fetch: unexpected failure", error)));
}
