import { describe, expect, it } from "vitest";
import type { ProbeDO } from "../fixtures/probe";
import { freshProbe, inProbe } from "../harness";
import { deliveriesOf } from "./harness";

/** Every continuation ran exactly once, with the square of its own input. */
function expectExactlyOnce(deliveries: { tag: string; result: unknown }[], count: number): void {
  expect(deliveries).toHaveLength(count);
  const seen = new Set(deliveries.map((d) => d.tag));
  expect(seen.size).toBe(count);
  for (const { tag, result } of deliveries) expect(result).toBe(Number(tag) ** 2);
}

describe("call under load", () => {
  it("completes 1,000 concurrent calls from one DO to one remote DO, each exactly once", async () => {
    const { stub } = freshProbe("load-one");
    await inProbe(stub, (probe) => {
      for (let i = 0; i < 1_000; i++) {
        const remote = probe.ctn<ProbeDO>().square(i);
        probe.lmz.call("PROBE", "load-one-target", remote, probe.ctn().record(remote, String(i)));
      }
    });
    expectExactlyOnce(await deliveriesOf(stub, 1_000, 25_000), 1_000);
  });

  it("completes 1,000 concurrent calls fanned out over 100 remote DOs, each exactly once", async () => {
    const { stub } = freshProbe("load-fan");
    await inProbe(stub, (probe) => {
      for (let i = 0; i < 1_000; i++) {
        const remote = probe.ctn<ProbeDO>().square(i);
        probe.lmz.call("PROBE", `fan-target-${i % 100}`, remote, probe.ctn().record(remote, String(i)));
      }
    });
    expectExactlyOnce(await deliveriesOf(stub, 1_000, 25_000), 1_000);
  });
});
