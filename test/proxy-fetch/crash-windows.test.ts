/**
 * The crash windows of a proxied fetch: jobs the orchestrator was handing
 * over when it restarted are sent again (if their method may be repeated),
 * and a delivery that finds the origin crashing is sent again until the
 * origin's deadline. Either way, the continuation runs once.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { $response, type FetchOrchestrator, type FetchOrchestratorStats, type ProxyFetchOptions } from "../../lib";
import { wasHandedOver } from "../fixtures/faulty-executors";
import type { ProbeDO } from "../fixtures/probe";
import { waitForAtLeast } from "../wait";
import { muteLogs } from "../logs";
import { expectCleanAfterEach, freshProbe, inProbe, sleep } from "../harness";
import { API, freshOrchestrator, startOrchestrated, startSimple, type Start } from "./harness";

expectCleanAfterEach();

muteLogs();

/** The durable deliveries of a probe, through a new stub each time: an abort breaks the old ones. */
function deliveredTo(name: string, count: number): Promise<string[]> {
  return waitForAtLeast(() => env.PROBE.getByName(name).durableDeliveries(), count, "delivered", 5_000);
}

function statsOf(name: string): Promise<FetchOrchestratorStats> {
  // A new stub each time: an abort breaks the old ones.
  return runInDurableObject(env.FETCH_ORCHESTRATOR.getByName(name), (o: FetchOrchestrator) => o.stats());
}

describe("the orchestrator restarting while it hands jobs over", () => {
  it("sends a GET it was handing over again, and its continuation runs once, with the response", async () => {
    const { name, stub } = freshProbe("stranded-get");
    const orchestrator = freshOrchestrator("stranded-get");
    // The first hand-over of each job to this executor is lost, as one cut off by a crash would be.
    const id = await inProbe(stub, (probe) =>
      probe.lmz.proxyFetch(`${API}/stranded`, probe.ctn().recordDurably($response, "get"), { ...orchestrator.options, executorBinding: "LOSING_EXECUTOR", timeout: 5_000, gracePeriod: 5_000 }),
    );
    await vi.waitFor(() => expect(wasHandedOver(id)).toBe(true), { timeout: 2_000, interval: 20 });
    await abortAllDurableObjects();
    // Long before the job's deadline (10 s), the new instance has sent it again.
    expect(await deliveredTo(name, 1)).toEqual(["get: Response 200"]);
    await vi.waitFor(async () => expect(await statsOf(orchestrator.name)).toEqual({ pending: 0, inFlight: 0, delivered: 1, timedOut: 0, failed: 0 }), { timeout: 2_000, interval: 20 });
    await sleep(300);
    expect(await deliveredTo(name, 1)).toEqual(["get: Response 200"]);
  });

  it("does not send a POST twice: it ends, once, with a TimeoutError that says why", async () => {
    const { name, stub } = freshProbe("stranded-post");
    const orchestrator = freshOrchestrator("stranded-post");
    const id = await inProbe(stub, (probe) =>
      probe.lmz.proxyFetch(new Request(`${API}/pay`, { method: "POST", body: "1" }), probe.ctn().recordDurably($response, "post"), {
        ...orchestrator.options,
        executorBinding: "LOSING_EXECUTOR",
        timeout: 1_000,
        gracePeriod: 500,
      }),
    );
    await vi.waitFor(() => expect(wasHandedOver(id)).toBe(true), { timeout: 2_000, interval: 20 });
    await abortAllDurableObjects();
    const [delivery] = await deliveredTo(name, 1);
    expect(delivery).toMatch(/^post: TimeoutError: proxy-fetch \S+: POST \S+\/pay got no result within timeout \+ gracePeriod \(1500 ms\): the orchestrator restarted before the executor confirmed it took the job, and a POST is not sent twice/);
    expect(await statsOf(orchestrator.name)).toEqual({ pending: 0, inFlight: 0, delivered: 0, timedOut: 1, failed: 0 });
  });
});

const strategies: { name: string; start: Start; options: () => ProxyFetchOptions }[] = [
  { name: "proxyFetchSimple", start: startSimple, options: () => ({ originBinding: "PROBE" }) },
  { name: "proxyFetch", start: startOrchestrated, options: () => freshOrchestrator("crashing-origin").options },
];

describe.each(strategies)("$name: a delivery that finds the origin crashing", ({ start, options }) => {
  it("is sent again until it gets through, and the continuation runs once", async () => {
    const { name, stub } = freshProbe("crashing-origin");
    await inProbe(stub, (probe: ProbeDO) => {
      start(probe, `${API}/slow?delay=200`, probe.ctn().recordDurably($response, "crashed"), { ...options(), timeout: 3_000, gracePeriod: 3_000 });
      // The executor's first delivery resets this object.
      probe.crashOnNextSettle();
    });
    expect(await deliveredTo(name, 1)).toEqual(["crashed: Response 200"]);
    await sleep(300);
    expect(await deliveredTo(name, 1)).toEqual(["crashed: Response 200"]);
  });
});
