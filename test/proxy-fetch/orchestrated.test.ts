/**
 * proxyFetch: the FetchOrchestrator keeps the job, the executor delivers
 * straight to the origin's pending outcome, the orchestrator's sweep answers
 * what never came back. The origin stores one pending outcome while the
 * fetch runs, and nothing after. What it shares with proxyFetchSimple is in
 * strategies.test.ts.
 */
// #region timeout-first
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { $response, type FetchOrchestrator } from "lumenize-do";
import { expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { API, expectNoMoreThan, freshOrchestrator, waitForOutcomes } from "./harness";

expectCleanAfterEach();

function statsOf(stub: DurableObjectStub<FetchOrchestrator>) {
  return runInDurableObject(stub, (orchestrator: FetchOrchestrator) => orchestrator.stats());
}
// #endregion timeout-first

describe("proxyFetch delivers", () => {
  it("delivers the response with status, headers and body through the orchestrator", async () => {
    const { stub } = freshProbe("orch-ok");
    const orchestrator = freshOrchestrator("ok");
    await inProbe(stub, (probe) => probe.lmz.proxyFetch(`${API}/items?delay=20`, probe.ctn().record($response, "a"), orchestrator.options));
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome).toMatchObject({ tag: "a", status: 200, headers: { "x-served-by": "fake-internet" }, body: { path: "/items", method: "GET" } });
    expect(await statsOf(orchestrator.stub)).toEqual({ pending: 0, inFlight: 0, delivered: 1, timedOut: 0, failed: 0 });
  });

  it("carries a request's method, headers and body", async () => {
    const { stub } = freshProbe("orch-post");
    const orchestrator = freshOrchestrator("post");
    await inProbe(stub, (probe) => {
      const request = new Request(`${API}/orders`, { method: "PUT", headers: { "x-trace": "t2" }, body: new Uint8Array([104, 105]) });
      probe.lmz.proxyFetch(request, probe.ctn().record($response, "put"), orchestrator.options);
    });
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome.body).toMatchObject({ method: "PUT", echo: "hi", headers: { "x-trace": "t2" } });
  });

  it("stores one pending outcome on the origin while the fetch runs, its deadline one grace period after the orchestrator's, and nothing after", async () => {
    const { stub } = freshProbe("orch-nothing");
    const orchestrator = freshOrchestrator("nothing");
    const before = Date.now();
    const id = await inProbe(stub, (probe) =>
      probe.lmz.proxyFetch(`${API}/slow?delay=1000`, probe.ctn().record($response, "a"), { ...orchestrator.options, timeout: 5_000, gracePeriod: 2_000 }),
    );
    await vi.waitFor(async () => expect((await statsOf(orchestrator.stub)).inFlight).toBe(1), { timeout: 2_000, interval: 10 });
    const during = await storedState(stub);
    expect(during.outcomes.map((outcome) => outcome.id)).toEqual([id]);
    expect(during.outcomes[0].time).toBeGreaterThanOrEqual(before + 9_000);
    expect(during.outcomes[0].time).toBeLessThan(before + 9_500);
    expect(during.schedules).toEqual([]);
    await waitForOutcomes(stub, 1);
    expect(await storedState(stub)).toEqual({ tables: ["__lmz_outcomes"], schedules: [], outcomes: [], jobs: 0, alarm: null });
  });

  it("delivers to an origin that was evicted while the fetch ran", async () => {
    const { name, stub } = freshProbe("orch-evicted");
    const orchestrator = freshOrchestrator("evicted");
    await inProbe(stub, (probe) => probe.lmz.proxyFetch(`${API}/slow?delay=1000`, probe.ctn().record($response, "after eviction"), orchestrator.options));
    await vi.waitFor(async () => expect((await statsOf(orchestrator.stub)).inFlight).toBe(1), { timeout: 2_000, interval: 10 });
    // Every Durable Object instance is thrown away; only storage and the executor Worker remain.
    await abortAllDurableObjects();
    // A new stub to the same object: the old one broke with the abort.
    const [outcome] = await waitForOutcomes(env.PROBE.getByName(name), 1);
    expect(outcome).toMatchObject({ tag: "after eviction", status: 200 });
  });
});

describe("orchestrator stats", () => {
  it("counts jobs in flight while they run, and each outcome after", async () => {
    const { stub } = freshProbe("orch-stats");
    const orchestrator = freshOrchestrator("stats");
    await inProbe(stub, (probe) => {
      for (let i = 0; i < 3; i++) probe.lmz.proxyFetch(`${API}/slow?delay=1000`, probe.ctn().record($response, `slow-${i}`), orchestrator.options);
      probe.lmz.proxyFetch(`${API}/lost`, probe.ctn().record($response, "lost"), { ...orchestrator.options, timeout: 100, gracePeriod: 100, testMode: { simulateDeliveryFailure: true } });
      probe.lmz.proxyFetch(`${API}/a`, probe.ctn().record($response, "broken"), { ...orchestrator.options, executorBinding: "BROKEN_EXECUTOR" });
    });
    await vi.waitFor(async () => expect((await statsOf(orchestrator.stub)).inFlight).toBeGreaterThanOrEqual(3), { timeout: 2_000, interval: 10 });
    await waitForOutcomes(stub, 5);
    expect(await statsOf(orchestrator.stub)).toEqual({ pending: 0, inFlight: 0, delivered: 3, timedOut: 1, failed: 1 });
  });
});

describe("proxyFetch exactly once", () => {
  // #region timeout-first
  it("runs the timeout and not the result when the timeout fires first", async () => {
    const { stub } = freshProbe("orch-race-timeout");
    const orchestrator = freshOrchestrator("race-timeout");
    await inProbe(stub, (probe) => probe.lmz.proxyFetch(`${API}/second?delay=1500`, probe.ctn().record($response, "t"), orchestrator.options));
    await vi.waitFor(async () => expect((await statsOf(orchestrator.stub)).inFlight).toBe(1), { timeout: 2_000, interval: 10 });
    // Make the job and its sweep due, as if timeout + grace had passed, and fire the real alarm.
    await runInDurableObject(orchestrator.stub, (_o: FetchOrchestrator, state) => {
      state.storage.sql.exec("UPDATE __lmz_proxy_fetch_jobs SET deadline = 0");
      state.storage.sql.exec("UPDATE __lmz_alarms SET time = 0");
    });
    expect(await runDurableObjectAlarm(orchestrator.stub)).toBe(true);
    expect((await waitForOutcomes(stub, 1))[0].error?.name).toBe("TimeoutError");
    // The real result arrives after and loses the claim.
    await expectNoMoreThan(stub, 1, 2_000);
    expect(await statsOf(orchestrator.stub)).toMatchObject({ timedOut: 1, delivered: 0 });
  });
  // #endregion timeout-first
});
