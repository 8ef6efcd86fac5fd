import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProbeDO } from "../fixtures/probe";
import { waitForAtLeast } from "../wait";
import { freshProbe, inProbe, sleep } from "../harness";

// Eviction (an idle object torn down, storage kept) is not a crash: from
// compatibility date 2026-10-01 a Durable Object with an RPC or timer pending
// is not evicted until it settles, so a call in flight still comes home.
describe("call across the caller's eviction", () => {
  it("runs the continuation once when the caller is evicted while a call is in flight", async () => {
    const { stub } = freshProbe("evicted-caller");
    const target = freshProbe("evicted-caller-target").name;
    await inProbe(stub, (probe) => {
      const remote = probe.ctn<ProbeDO>().sleep(300);
      probe.lmz.call("PROBE", target, remote, probe.ctn().recordDurably(remote, "slow"));
    });
    await evictDurableObject(stub);
    const delivered = await waitForAtLeast(() => stub.durableDeliveries(), 1, "delivered");
    await sleep(200);
    expect(await stub.durableDeliveries()).toEqual(['slow: "slept 300"']);
    expect(delivered).toHaveLength(1);
  });
});
