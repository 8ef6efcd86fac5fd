/**
 * proxyFetch: the FetchOrchestrator keeps the job, the executor delivers
 * straight to the origin's pending outcome, the orchestrator's sweep answers
 * what never came back. The origin stores one pending outcome while the
 * fetch runs, and nothing after.
 */
// #region timeout-first
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { $response, preprocess, proxyFetch, type FetchOrchestrator } from "lumenize-do";
import { expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { API, expectNoMoreThan, freshOrchestrator, outcomesOf, waitForOutcomes } from "./harness";

expectCleanAfterEach();

function statsOf(stub: DurableObjectStub<FetchOrchestrator>) {
  return runInDurableObject(stub, (orchestrator: FetchOrchestrator) => orchestrator.stats());
}
// #endregion timeout-first

describe("proxyFetch delivers", () => {
  it("delivers the response with status, headers and body through the orchestrator", async () => {
    const { stub } = freshProbe("orch-ok");
    const orchestrator = freshOrchestrator("ok");
    await inProbe(stub, (probe) => proxyFetch(probe, `${API}/items?delay=20`, probe.ctn().record($response, "a"), orchestrator.options));
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome).toMatchObject({ tag: "a", status: 200, headers: { "x-served-by": "fake-internet" }, body: { path: "/items", method: "GET" } });
    expect(await statsOf(orchestrator.stub)).toEqual({ pending: 0, inFlight: 0, delivered: 1, timedOut: 0, failed: 0 });
  });

  it("carries a request's method, headers and body", async () => {
    const { stub } = freshProbe("orch-post");
    const orchestrator = freshOrchestrator("post");
    await inProbe(stub, (probe) => {
      const request = new Request(`${API}/orders`, { method: "PUT", headers: { "x-trace": "t2" }, body: new Uint8Array([104, 105]) });
      proxyFetch(probe, request, probe.ctn().record($response, "put"), orchestrator.options);
    });
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome.body).toMatchObject({ method: "PUT", echo: "hi", headers: { "x-trace": "t2" } });
  });

  it("works the same through the rpc-target executor", async () => {
    const { stub } = freshProbe("orch-rpc-target");
    const orchestrator = freshOrchestrator("rpc-target");
    await inProbe(stub, (probe) => {
      proxyFetch(probe, `${API}/via-target`, probe.ctn().record($response, "ok"), { ...orchestrator.options, executorKind: "rpc-target" });
      proxyFetch(probe, `${API}/x?fail=1`, probe.ctn().record($response, "reset"), { ...orchestrator.options, executorKind: "rpc-target" });
    });
    const outcomes = await waitForOutcomes(stub, 2);
    expect(outcomes.find((outcome) => outcome.tag === "ok")).toMatchObject({ status: 200, body: { path: "/via-target" } });
    expect(outcomes.find((outcome) => outcome.tag === "reset")?.error?.name).toBe("ProxyFetchError");
  });

  it("stores one pending outcome on the origin while the fetch runs, its deadline one grace period after the orchestrator's, and nothing after", async () => {
    const { stub } = freshProbe("orch-nothing");
    const orchestrator = freshOrchestrator("nothing");
    const before = Date.now();
    const id = await inProbe(stub, (probe) =>
      proxyFetch(probe, `${API}/slow?delay=1000`, probe.ctn().record($response, "a"), { ...orchestrator.options, timeout: 5_000, gracePeriod: 2_000 }),
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
    await inProbe(stub, (probe) => proxyFetch(probe, `${API}/slow?delay=1000`, probe.ctn().record($response, "after eviction"), orchestrator.options));
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
      for (let i = 0; i < 3; i++) proxyFetch(probe, `${API}/slow?delay=1000`, probe.ctn().record($response, `slow-${i}`), orchestrator.options);
      proxyFetch(probe, `${API}/lost`, probe.ctn().record($response, "lost"), { ...orchestrator.options, timeout: 100, gracePeriod: 100, testMode: { simulateDeliveryFailure: true } });
      proxyFetch(probe, `${API}/a`, probe.ctn().record($response, "broken"), { ...orchestrator.options, executorBinding: "BROKEN_EXECUTOR" });
    });
    await vi.waitFor(async () => expect((await statsOf(orchestrator.stub)).inFlight).toBeGreaterThanOrEqual(3), { timeout: 2_000, interval: 10 });
    await waitForOutcomes(stub, 5);
    expect(await statsOf(orchestrator.stub)).toEqual({ pending: 0, inFlight: 0, delivered: 3, timedOut: 1, failed: 1 });
  });
});

describe("proxyFetch timers and failures", () => {
  it("delivers the executor's own timeout as a TimeoutError naming the url", async () => {
    const { stub } = freshProbe("orch-executor-timeout");
    const orchestrator = freshOrchestrator("executor-timeout");
    await inProbe(stub, (probe) => proxyFetch(probe, `${API}/stuck?delay=3000`, probe.ctn().record($response, "t"), { ...orchestrator.options, timeout: 150 }));
    const [outcome] = await waitForOutcomes(stub, 1, 2_000);
    expect(outcome.error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining(`GET ${API}/stuck?delay=3000 got no complete response within its timeout of 150 ms`) });
    expect((await statsOf(orchestrator.stub)).delivered).toBe(1);
  });

  it("delivers a slow but successful fetch that finishes inside its timeout", async () => {
    const { stub } = freshProbe("orch-slow-ok");
    const orchestrator = freshOrchestrator("slow-ok");
    await inProbe(stub, (probe) => proxyFetch(probe, `${API}/slow?delay=600`, probe.ctn().record($response, "slow"), { ...orchestrator.options, timeout: 1_000, gracePeriod: 2_000 }));
    expect((await waitForOutcomes(stub, 1))[0].status).toBe(200);
    await expectNoMoreThan(stub, 1);
  });

  it("delivers failed connections and unresolvable hosts as ProxyFetchErrors naming the url", async () => {
    const { stub } = freshProbe("orch-fail");
    const orchestrator = freshOrchestrator("fail");
    await inProbe(stub, (probe) => {
      proxyFetch(probe, `${API}/x?fail=1`, probe.ctn().record($response, "reset"), orchestrator.options);
      proxyFetch(probe, "https://no-such-host.invalid/v1", probe.ctn().record($response, "dns"), orchestrator.options);
    });
    const outcomes = await waitForOutcomes(stub, 2);
    expect(outcomes.find((outcome) => outcome.tag === "reset")?.error?.message).toContain(`GET ${API}/x?fail=1 failed: Network connection lost`);
    expect(outcomes.find((outcome) => outcome.tag === "dns")?.error?.message).toContain("GET https://no-such-host.invalid/v1 failed:");
  });

  it("runs the continuation on the origin with a ProxyFetchError when the request body cannot be read", async () => {
    const { stub } = freshProbe("orch-body-fails");
    const orchestrator = freshOrchestrator("body-fails");
    await inProbe(stub, (probe) => {
      const body = new ReadableStream({ pull: (controller) => controller.error(new Error("the upload source vanished")) });
      const request = new Request(`${API}/upload`, { method: "POST", body, duplex: "half" } as RequestInit);
      proxyFetch(probe, request, probe.ctn().record($response, "body"), orchestrator.options);
    });
    const [outcome] = await waitForOutcomes(stub, 1, 2_000);
    expect(outcome.error?.message).toContain(`POST ${API}/upload could not be handed to the orchestrator "FETCH_ORCHESTRATOR": Reading a Request body failed`);
    // Nothing reached the orchestrator.
    expect(await statsOf(orchestrator.stub)).toEqual({ pending: 0, inFlight: 0, delivered: 0, timedOut: 0, failed: 0 });
  });

  it("delivers an executor that throws as a ProxyFetchError naming the url and cause", async () => {
    const { stub } = freshProbe("orch-broken");
    const orchestrator = freshOrchestrator("broken");
    await inProbe(stub, (probe) => proxyFetch(probe, `${API}/a`, probe.ctn().record($response, "broken"), { ...orchestrator.options, executorBinding: "BROKEN_EXECUTOR" }));
    const [outcome] = await waitForOutcomes(stub, 1, 2_000);
    expect(outcome.error?.name).toBe("ProxyFetchError");
    expect(outcome.error?.message).toContain(`GET ${API}/a could not be handed to the executor "BROKEN_EXECUTOR"`);
    expect(outcome.error?.message).toContain("the executor exploded while accepting the job");
  });

  it("answers a dead executor with a TimeoutError at timeout + grace", async () => {
    const { stub } = freshProbe("orch-dead");
    const orchestrator = freshOrchestrator("dead");
    const started = Date.now();
    await inProbe(stub, (probe) =>
      proxyFetch(probe, `${API}/a`, probe.ctn().record($response, "dead"), { ...orchestrator.options, executorBinding: "DEAD_EXECUTOR", timeout: 200, gracePeriod: 300 }),
    );
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(outcome.error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining(`GET ${API}/a got no result within timeout + gracePeriod (500 ms): the executor died`) });
    expect(await statsOf(orchestrator.stub)).toMatchObject({ timedOut: 1, delivered: 0 });
  });
});

describe("proxyFetch exactly once", () => {
  it("answers a lost result with one TimeoutError from the sweep, and refuses the late delivery", async () => {
    const { stub } = freshProbe("orch-lost");
    const orchestrator = freshOrchestrator("lost");
    const id = await inProbe(stub, (probe) =>
      proxyFetch(probe, `${API}/lost`, probe.ctn().record($response, "lost"), { ...orchestrator.options, timeout: 200, gracePeriod: 200, testMode: { simulateDeliveryFailure: true } }),
    );
    const [{ token }] = (await storedState(stub)).outcomes;
    const [outcome] = await waitForOutcomes(stub, 1);
    expect(outcome.error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining("its result was lost on the way back") });
    // The executor's result turns up after all: the origin's door refuses it.
    expect(await stub.__settle(id, token, { ok: true, value: await preprocess(new Response("late")) })).toBe(false);
    await expectNoMoreThan(stub, 1);
    expect(await statsOf(orchestrator.stub)).toMatchObject({ timedOut: 1, delivered: 0 });
  });

  it("runs the result and not the timeout when the result arrives first", async () => {
    const { stub } = freshProbe("orch-race-result");
    const orchestrator = freshOrchestrator("race-result");
    await inProbe(stub, (probe) => proxyFetch(probe, `${API}/first`, probe.ctn().record($response, "r"), orchestrator.options));
    await waitForOutcomes(stub, 1);
    // The sweep, run now and as late as you like, finds nothing left to time out.
    await runInDurableObject(orchestrator.stub, async (o: FetchOrchestrator) => {
      await o.lmz.alarms.triggerAlarms(10);
      await o.sweep();
    });
    expect((await outcomesOf(stub)).map((outcome) => outcome.status)).toEqual([200]);
  });

  // #region timeout-first
  it("runs the timeout and not the result when the timeout fires first", async () => {
    const { stub } = freshProbe("orch-race-timeout");
    const orchestrator = freshOrchestrator("race-timeout");
    await inProbe(stub, (probe) => proxyFetch(probe, `${API}/second?delay=1500`, probe.ctn().record($response, "t"), orchestrator.options));
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
