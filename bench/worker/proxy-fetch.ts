/**
 * Experiment 3: proxy-fetch. One Durable Object fetches the same URL `size`
 * times at once: directly (`await fetch(url)`, the baseline), through
 * `proxyFetch` (orchestrated) and through `proxyFetchSimple`, each with the
 * `FetchExecutor` entrypoint and with its RpcTarget executor.
 *
 * `params.origin` is the origin's URL (the bench starts a local server that
 * honours `?delay=<ms>`; the smoke test uses the test internet), and
 * `params.delayMs` how long the origin takes to answer.
 *
 * `phases.doBusy` is how long this DO had work in flight: until the last
 * response for a direct fetch; until the last hand-over for proxy-fetch,
 * after which it waits for nothing until the results arrive.
 *
 * Below: what one fetch costs (experiment 3b) and 1 against 16 orchestrator
 * shards (experiment 3c), each fanning out to other instances of this class
 * as origins.
 */
import { $response, FetchOrchestrator, type ExecutorKind, type ProxyFetchOptions } from "../../lib";
import { ExperimentController, type Outcome } from "./controller";
import type { BenchEnv } from "./env";
import { Meter, type Reading } from "./meter";
import { orchestratorNames } from "../../lib/proxy-fetch/shards";

type Params = Readonly<Record<string, unknown>>;

/** Where the smoke test's origin lives: the test internet (test/fake-internet.ts). */
const TEST_ORIGIN = "https://api.example.test/bench";

export class ProxyFetchBenchDO extends ExperimentController<BenchEnv> {
  readonly #handOvers: Promise<unknown>[] = [];
  readonly #meter: Meter;
  /** Milliseconds spent in `__settle` (taking deliveries) since the last reading. */
  #settleMs = 0;

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    this.#meter = new Meter(ctx);
    // proxy-fetch keeps its hand-overs (body reads, RPCs to the executor or
    // orchestrator) alive with ctx.waitUntil: watching those promises tells
    // how long this DO stays busy.
    const waitUntil = ctx.waitUntil.bind(ctx);
    ctx.waitUntil = (work: Promise<unknown>) => {
      this.#handOvers.push(work);
      waitUntil(work);
    };
  }

  /** Deliveries are requests to this object, and time it is active: counted for the cost experiment. */
  override async __settle(id: string, token: string, outcome: Parameters<ExperimentController["__settle"]>[2]): Promise<boolean> {
    this.#meter.request();
    const started = Date.now();
    try {
      return await super.__settle(id, token, outcome);
    } finally {
      this.#settleMs += Date.now() - started;
    }
  }

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    this.#meter.request();
    await super.alarm(info);
  }

  /** The continuation of every proxied fetch: a 2xx Response completes, anything else fails. */
  fetched(response: Response | Error, batchId: string): void {
    this.arrived(response instanceof Response && !response.ok ? new Error(`status ${response.status}`) : response, batchId);
  }

  // ---------------------------------------------------------------------------
  // Experiment methods
  // ---------------------------------------------------------------------------

  /** Baseline: `await fetch(url)` from the DO itself, body read. */
  async direct(size: number, params: Params): Promise<Outcome> {
    const started = Date.now();
    const url = urlOf(params);
    const results = await Promise.allSettled(
      Array.from({ length: size }, async () => {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`status ${response.status}`);
      }),
    );
    const completed = results.filter((result) => result.status === "fulfilled").length;
    const rejected = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    return { completed, failed: size - completed, phases: { doBusy: Date.now() - started }, ...(rejected ? { firstError: String(rejected.reason) } : {}) };
  }

  proxyFetchWorker(size: number, params: Params): Promise<Outcome> {
    return this.#proxied(size, params, "orchestrated", "worker");
  }

  proxyFetchRpcTarget(size: number, params: Params): Promise<Outcome> {
    return this.#proxied(size, params, "orchestrated", "rpc-target");
  }

  proxyFetchSimpleWorker(size: number, params: Params): Promise<Outcome> {
    return this.#proxied(size, params, "simple", "worker");
  }

  proxyFetchSimpleRpcTarget(size: number, params: Params): Promise<Outcome> {
    return this.#proxied(size, params, "simple", "rpc-target");
  }

  async #proxied(size: number, params: Params, strategy: Strategy, executorKind: ExecutorKind): Promise<Outcome> {
    const { outcome, handOverMs } = await this.#proxyAll(size, urlOf(params), strategy, { executorKind });
    return { ...outcome, phases: { doBusy: handOverMs } };
  }

  /**
   * Proxies `count` fetches of `url` at once; resolves when every result is
   * home, with how long the hand-overs kept this object waiting.
   */
  async #proxyAll(count: number, url: string, strategy: Strategy, options: ProxyFetchOptions): Promise<{ outcome: Outcome; handOverMs: number }> {
    const started = Date.now();
    const batch = this.openBatch(count);
    const all = { originBinding: "PROXY_FETCH_BENCH", ...options };
    this.#handOvers.length = 0;
    for (let i = 0; i < count; i++) {
      const continuation = this.ctn().fetched($response, batch.id);
      if (strategy === "orchestrated") this.lmz.proxyFetch(url, continuation, all);
      else this.lmz.proxyFetchSimple(url, continuation, all);
    }
    // One hand-over may carry many jobs (proxy-fetch batches them), but there must be one.
    if (count > 0 && this.#handOvers.length === 0) {
      throw new Error("No hand-over went through ctx.waitUntil: proxy-fetch changed how it keeps them alive, so update how this bench measures doBusy.");
    }
    await Promise.allSettled(this.#handOvers);
    const handOverMs = Date.now() - started;
    return { outcome: await batch.done, handOverMs };
  }

  // ---------------------------------------------------------------------------
  // Experiment 3b: what one fetch costs. `size` origins (other instances of
  // this class) each make one fetch, alone: many objects each calling an API
  // now and then. One origin after the other, since locally every object
  // shares one thread, and an origin waiting for the thread would count as
  // active. Each origin counts what it is billed for (active time, requests,
  // rows written), and so does the orchestrator (MeteredOrchestrator, one
  // shard); the harness adds the CPU workerd used. Phases are batch totals.
  // ---------------------------------------------------------------------------

  costDirect(size: number, params: Params): Promise<Outcome> {
    return this.#alone(size, params, "direct");
  }

  costProxyFetch(size: number, params: Params): Promise<Outcome> {
    return this.#alone(size, params, "orchestrated");
  }

  costProxyFetchSimple(size: number, params: Params): Promise<Outcome> {
    return this.#alone(size, params, "simple");
  }

  async #alone(size: number, params: Params, strategy: Strategy | "direct"): Promise<Outcome> {
    const orchestrator = this.env.METERED_ORCHESTRATOR.getByName(METERED.orchestratorName!);
    await orchestrator.takeReading();
    // The same origins every round: their tables exist after the warm-up, as in a long-lived object.
    const origins = Array.from({ length: size }, (_, i) => this.env.PROXY_FETCH_BENCH.getByName(`cost-origin-${i}`));
    const results: Alone[] = [];
    for (const origin of origins) results.push(await origin.fetchAlone(strategy, urlOf(params)));
    // The executor tells the orchestrator after it delivered: wait for those reports before reading its meter.
    const atOrchestrator = strategy === "orchestrated" ? await orchestrator.takeReadingOnce(size) : { requests: 0, rowsWritten: 0 };
    const completed = results.filter((result) => result.ok).length;
    const sum = (pick: (alone: Alone) => number) => results.reduce((total, alone) => total + pick(alone), 0);
    const firstError = results.find((result) => !result.ok)?.error;
    return {
      completed,
      failed: size - completed,
      phases: {
        activeMs: sum((alone) => alone.activeMs),
        requests: sum((alone) => alone.requests) + atOrchestrator.requests,
        rowsWritten: sum((alone) => alone.rowsWritten) + atOrchestrator.rowsWritten,
        orchestratorRequests: atOrchestrator.requests,
        orchestratorRowsWritten: atOrchestrator.rowsWritten,
      },
      ...(firstError ? { firstError } : {}),
    };
  }

  /** On an origin: one fetch, alone, and what it cost this object. */
  async fetchAlone(strategy: Strategy | "direct", url: string): Promise<Alone> {
    this.#meter.take();
    this.#settleMs = 0;
    if (strategy === "direct") {
      const started = Date.now();
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        return { ok: response.ok, activeMs: Date.now() - started, ...this.#meter.take() };
      } catch (error) {
        return { ok: false, error: String(error), activeMs: Date.now() - started, ...this.#meter.take() };
      }
    }
    const { outcome, handOverMs } = await this.#proxyAll(1, url, strategy, METERED);
    // Deliveries settle this object's alarm too: let that finish before reading.
    await this.ctx.storage.sync();
    return { ok: outcome.completed === 1, error: outcome.firstError, activeMs: handOverMs + this.#settleMs, ...this.#meter.take() };
  }

  // ---------------------------------------------------------------------------
  // Experiment 3c: 1 against 16 orchestrator shards. `size` fetches from
  // `params.origins` origins (other instances of this class), all at once.
  // ---------------------------------------------------------------------------

  oneOrchestrator(size: number, params: Params): Promise<Outcome> {
    return this.#spread(size, params, 1);
  }

  sixteenShards(size: number, params: Params): Promise<Outcome> {
    return this.#spread(size, params, 16);
  }

  async #spread(size: number, params: Params, shards: number): Promise<Outcome> {
    const count = Number(params.origins ?? 8);
    const options = { orchestratorName: `bench-shards-${shards}`, orchestratorShards: shards };
    const instances = orchestratorNames(options).map((name) => this.env.FETCH_ORCHESTRATOR.getByName(name));
    const deliveredSoFar = () => Promise.all(instances.map(async (instance) => (await instance.stats()).delivered));
    const before = await deliveredSoFar();
    const outcomes = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const share = Math.floor(size / count) + (i < size % count ? 1 : 0);
        return this.env.PROXY_FETCH_BENCH.getByName(`shards-origin-${i}`).fetchMany(share, urlOf(params), options);
      }),
    );
    const completed = outcomes.reduce((total, outcome) => total + outcome.completed, 0);
    const failed = outcomes.reduce((total, outcome) => total + (outcome.failed ?? 0), 0);
    const firstError = outcomes.find((outcome) => outcome.firstError)?.firstError;
    // The busiest instance's share of the jobs: what bounds throughput where each instance has a machine of its own.
    await scheduler.wait(50);
    const after = await deliveredSoFar();
    const busiestShare = Math.max(...after.map((delivered, i) => delivered - before[i])) / size;
    return { completed, failed, phases: { busiestShare }, ...(firstError ? { firstError } : {}) };
  }

  /** On an origin: `count` proxied fetches at once, through the orchestrator shards `options` name. */
  async fetchMany(count: number, url: string, options: ProxyFetchOptions): Promise<Outcome> {
    return (await this.#proxyAll(count, url, "orchestrated", options)).outcome;
  }
}

type Strategy = "orchestrated" | "simple";

/** What one origin reports of its one fetch (experiment 3b). */
interface Alone extends Reading {
  readonly ok: boolean;
  readonly error?: string;
  /** Milliseconds this origin was active for the fetch: the whole fetch if direct; the hand-over plus taking the delivery if proxied. */
  readonly activeMs: number;
}

/** The metered orchestrator of the cost experiment: one instance, so one meter. */
const METERED: ProxyFetchOptions = { orchestratorBinding: "METERED_ORCHESTRATOR", orchestratorName: "cost", orchestratorShards: 1 };

/**
 * A FetchOrchestrator that counts its requests (enqueues, delivery reports,
 * alarms) and rows written, for the cost experiment. Bound as
 * METERED_ORCHESTRATOR.
 */
export class MeteredOrchestrator extends FetchOrchestrator<BenchEnv> {
  readonly #meter: Meter;
  #delivered = 0;

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    this.#meter = new Meter(ctx);
  }

  override __enqueue(...args: Parameters<FetchOrchestrator["__enqueue"]>): void {
    this.#meter.request();
    super.__enqueue(...args);
  }

  override __delivered(id: string, token: string): void {
    this.#meter.request();
    this.#delivered++;
    super.__delivered(id, token);
  }

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    this.#meter.request();
    await super.alarm(info);
  }

  /** What was counted since the last reading. (Not metered itself: the bench asks.) */
  takeReading(): Reading {
    this.#delivered = 0;
    return this.#meter.take();
  }

  /** {@link takeReading}, once `delivered` delivery reports came (or 10 s passed). */
  async takeReadingOnce(delivered: number): Promise<Reading> {
    for (const deadline = Date.now() + 10_000; this.#delivered < delivered && Date.now() < deadline; ) await scheduler.wait(5);
    await this.ctx.storage.sync();
    return this.takeReading();
  }
}

function urlOf(params: Params): string {
  const url = new URL(String(params.origin ?? TEST_ORIGIN));
  url.searchParams.set("delay", String(Number(params.delayMs ?? 0)));
  return url.href;
}
