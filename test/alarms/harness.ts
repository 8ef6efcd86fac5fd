/** What the alarms tests add to the shared harness (test/harness.ts): the probe's deliveries by tag. */
import type { Delivery } from "../fixtures/probe";
import { inProbe, type StubOf } from "../harness";
import { waitForAtLeast } from "../wait";

/** The probe's deliveries, tags only, in order. */
export async function tagsOf(stub: StubOf<"PROBE">): Promise<string[]> {
  return inProbe(stub, (probe) => probe.deliveries().map((delivery: Delivery) => delivery.tag));
}

/** Waits until the probe has `count` deliveries (fired by the real platform alarm). */
export function waitForTags(stub: StubOf<"PROBE">, count: number, timeout = 10_000): Promise<string[]> {
  return waitForAtLeast(() => tagsOf(stub), count, "fired", timeout);
}
