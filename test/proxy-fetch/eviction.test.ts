/**
 * A proxied fetch whose origin is evicted while the fetch runs: the origin
 * stores the continuation (simple: its timeout alarm; orchestrated: the
 * orchestrator's job row), so the result wakes a new instance and runs once.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $response } from "../../lib";
import { waitForAtLeast } from "../wait";
import { expectCleanAfterEach, freshProbe, inProbe, sleep } from "../harness";
import { API, freshOrchestrator } from "./harness";

expectCleanAfterEach();

describe("a proxied fetch across the origin's eviction", () => {
  it("delivers a proxyFetchSimple result once to an origin evicted mid-fetch", async () => {
    const { stub } = freshProbe("evicted-simple");
    await inProbe(stub, (probe) => probe.lmz.proxyFetchSimple(`${API}/slow?delay=300`, probe.ctn().recordDurably($response, "simple"), { originBinding: "PROBE" }));
    await evictDurableObject(stub);
    await waitForAtLeast(() => stub.durableDeliveries(), 1, "delivered");
    await sleep(300);
    expect(await stub.durableDeliveries()).toEqual(["simple: Response 200"]);
  });

  it("delivers a proxyFetch result once to an origin evicted mid-fetch", async () => {
    const { stub } = freshProbe("evicted-orchestrated");
    const { options } = freshOrchestrator("evicted-orchestrated");
    await inProbe(stub, (probe) => probe.lmz.proxyFetch(`${API}/slow?delay=300`, probe.ctn().recordDurably($response, "orchestrated"), options));
    await evictDurableObject(stub);
    await waitForAtLeast(() => stub.durableDeliveries(), 1, "delivered");
    await sleep(300);
    expect(await stub.durableDeliveries()).toEqual(["orchestrated: Response 200"]);
  });
});
