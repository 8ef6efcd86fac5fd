/**
 * Issue 12, fault-injection suite (call half): hundreds of concurrent calls
 * while the objects at either end are aborted mid-flight. Every continuation
 * records itself durably (`ProbeDO.recordDurably`), so the counts survive
 * the aborts. The contract:
 * - a callee aborted mid-flight: each continuation runs exactly once, with
 *   the result or an Error;
 * - the caller aborted mid-flight: a continuation runs at most once. A call
 *   keeps its continuation in the caller's memory (nothing is stored per
 *   call), so the calls in flight when the caller dies are lost by design.
 *   The suite counts them; durable calls are the answer to that.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProbeDO } from "../fixtures/probe";
import { waitForAtLeast } from "../wait";
import { sleep } from "../harness";

const CALLS = 300;
const TARGETS = 10;
let run = 0;

/**
 * Sends CALLS calls from a fresh caller, each to target i % TARGETS. A third
 * sleep 5 s there, so they are surely in flight when the fault comes; the
 * rest sleep 0-390 ms, so some have surely finished.
 */
async function fireCalls(prefix: string): Promise<{ caller: string; targets: string[] }> {
  const id = `${prefix}-${run++}`;
  const caller = `${id}-caller`;
  const targets = Array.from({ length: TARGETS }, (_, i) => `${id}-target-${i}`);
  await runInDurableObject(env.PROBE.getByName(caller), (probe: ProbeDO) => {
    for (let i = 0; i < CALLS; i++) {
      const remote = probe.ctn<ProbeDO>().sleep(i % 3 === 0 ? 5_000 : (i * 37) % 400);
      probe.lmz.call("PROBE", targets[i % TARGETS], remote, probe.ctn().recordDurably(remote, `call-${i}`), { timeout: 10_000 });
    }
  });
  return { caller, targets };
}

/** Aborts one Durable Object as a crash would: its in-flight work dies with it. */
async function crash(name: string): Promise<void> {
  await runInDurableObject(env.PROBE.getByName(name), (_probe: ProbeDO, state) => state.abort("injected fault")).catch(() => undefined);
}

/** The caller's durable log, parsed: which call ran, with what. A fresh stub each time: an aborted object breaks old ones. */
async function delivered(caller: string): Promise<{ tag: string; outcome: string }[]> {
  const log = await env.PROBE.getByName(caller).durableDeliveries();
  return log.map((line) => {
    const at = line.indexOf(": ");
    return { tag: line.slice(0, at), outcome: line.slice(at + 2) };
  });
}

function expectEachAtMostOnce(deliveries: { tag: string }[]): void {
  const tags = deliveries.map((delivery) => delivery.tag);
  expect(new Set(tags).size).toBe(tags.length);
  for (const tag of tags) expect(tag).toMatch(/^call-\d+$/);
}

describe("call under injected faults", () => {
  it("runs every continuation exactly once, with the result or an Error, while callees are aborted mid-flight", async () => {
    const { caller, targets } = await fireCalls("callees-crash");
    // Half the targets die at once, the other half a little later: some calls have finished by then, most have not.
    await Promise.all(targets.slice(0, TARGETS / 2).map(crash));
    await sleep(150);
    await Promise.all(targets.slice(TARGETS / 2).map(crash));

    const deliveries = await waitForAtLeast(() => delivered(caller), CALLS, "continuations", 20_000);
    await sleep(500); // a duplicate would show up here
    const final = await delivered(caller);
    expect(final).toHaveLength(CALLS);
    expectEachAtMostOnce(final);
    const results = final.filter(({ outcome }) => /^"slept \d+"$/.test(outcome));
    const errors = final.filter(({ outcome }) => /^\w*Error: /.test(outcome));
    expect(results.length + errors.length).toBe(CALLS);
    expect(errors.length).toBeGreaterThan(0);
    for (const { outcome } of errors) expect(outcome).toMatch(/^CallError: Could not complete the call to "PROBE" instance ".*" over RPC: Error: injected fault\. The target may have crashed/);
    console.log(`[fault-injection] callees aborted: ${CALLS} calls, ${results.length} results, ${errors.length} Errors, 0 lost, 0 twice (${deliveries.length} delivered).`);
  });

  it("runs each continuation at most once when the caller is aborted mid-flight, and counts the ones lost", async () => {
    const { caller } = await fireCalls("caller-crash");
    await sleep(200); // some calls have come home, the 5 s ones surely not
    await abortAllDurableObjects();
    await sleep(600); // every remote died too: nothing can deliver any more
    const final = await delivered(caller);
    expectEachAtMostOnce(final);
    expect(final.length).toBeLessThanOrEqual(CALLS - CALLS / 3);
    for (const { outcome } of final) expect(outcome).toMatch(/^"slept \d+"$/);
    console.log(`[fault-injection] caller aborted after 200 ms: ${CALLS} calls, ${final.length} delivered once, ${CALLS - final.length} lost (in flight when the caller died), 0 twice.`);
  });

  it("loses every call still in flight when the caller is aborted right after sending them", async () => {
    const { caller } = await fireCalls("caller-crash-early");
    await abortAllDurableObjects();
    await sleep(600);
    const final = await delivered(caller);
    expectEachAtMostOnce(final);
    console.log(`[fault-injection] caller aborted at once: ${CALLS} calls, ${final.length} delivered, ${CALLS - final.length} lost.`);
  });
});
