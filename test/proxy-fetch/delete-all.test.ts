/**
 * After `ctx.storage.deleteAll()` on the orchestrator (its job table, its
 * counters, its sweep schedule and its platform alarm all gone), proxyFetch
 * through it keeps working.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $response, type FetchOrchestrator } from "../../lib";
import { expectCleanAfterEach, freshProbe, inProbe } from "../harness";
import { API, freshOrchestrator, waitForOutcomes } from "./harness";

expectCleanAfterEach();

describe("the orchestrator after deleteAll", () => {
  it("takes, tracks and delivers new jobs after its storage was wiped", async () => {
    const { stub } = freshProbe("orch-wiped");
    const orchestrator = freshOrchestrator("wiped");
    await inProbe(stub, (probe) => probe.lmz.proxyFetch(`${API}/before`, probe.ctn().record($response, "before"), orchestrator.options));
    await waitForOutcomes(stub, 1);
    await runInDurableObject(orchestrator.stub, (_o: FetchOrchestrator, state) => state.storage.deleteAll());
    await inProbe(stub, (probe) => probe.lmz.proxyFetch(`${API}/after`, probe.ctn().record($response, "after"), orchestrator.options));
    const outcomes = await waitForOutcomes(stub, 2);
    expect(outcomes.map((outcome) => [outcome.tag, outcome.status])).toEqual([
      ["before", 200],
      ["after", 200],
    ]);
    expect(await runInDurableObject(orchestrator.stub, (o: FetchOrchestrator) => o.stats())).toEqual({ pending: 0, inFlight: 0, delivered: 1, timedOut: 0, failed: 0 });
  });
});
