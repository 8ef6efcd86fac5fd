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
 */
import { $response, proxyFetch, proxyFetchSimple, type ExecutorKind } from "../../lib";
import { ExperimentController, type Outcome } from "./controller";
import type { BenchEnv } from "./env";

type Params = Readonly<Record<string, unknown>>;

/** Where the smoke test's origin lives: the test internet (test/fake-internet.ts). */
const TEST_ORIGIN = "https://api.example.test/bench";

export class ProxyFetchBenchDO extends ExperimentController<BenchEnv> {
  readonly #handOvers: Promise<unknown>[] = [];

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    // proxy-fetch keeps its hand-overs (body reads, RPCs to the executor or
    // orchestrator) alive with ctx.waitUntil: watching those promises tells
    // how long this DO stays busy.
    const waitUntil = ctx.waitUntil.bind(ctx);
    ctx.waitUntil = (work: Promise<unknown>) => {
      this.#handOvers.push(work);
      waitUntil(work);
    };
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

  async #proxied(size: number, params: Params, strategy: "orchestrated" | "simple", executorKind: ExecutorKind): Promise<Outcome> {
    const started = Date.now();
    const batch = this.openBatch(size);
    const url = urlOf(params);
    const options = { originBinding: "PROXY_FETCH_BENCH", executorKind };
    this.#handOvers.length = 0;
    for (let i = 0; i < size; i++) {
      const continuation = this.ctn().fetched($response, batch.id);
      if (strategy === "orchestrated") proxyFetch(this, url, continuation, options);
      else proxyFetchSimple(this, url, continuation, options);
    }
    // One hand-over may carry many jobs (proxy-fetch batches them), but there must be one.
    if (size > 0 && this.#handOvers.length === 0) {
      throw new Error("No hand-over went through ctx.waitUntil: proxy-fetch changed how it keeps them alive, so update how this bench measures doBusy.");
    }
    await Promise.allSettled(this.#handOvers);
    const doBusy = Date.now() - started;
    const outcome = await batch.done;
    return { ...outcome, phases: { doBusy } };
  }
}

function urlOf(params: Params): string {
  const url = new URL(String(params.origin ?? TEST_ORIGIN));
  url.searchParams.set("delay", String(Number(params.delayMs ?? 0)));
  return url.href;
}
