/** What the call tests add to the shared harness (test/harness.ts): waiting for a probe's deliveries. */
import type { Delivery } from "../fixtures/probe";
import { inProbe, type StubOf } from "../harness";
import { waitForAtLeast } from "../wait";

/** Waits until the probe has recorded `count` deliveries, then returns them. */
export function deliveriesOf(stub: StubOf<"PROBE">, count: number, timeout = 10_000): Promise<Delivery[]> {
  return waitForAtLeast(() => inProbe(stub, (probe) => probe.deliveries().slice()), count, "delivered", timeout);
}
