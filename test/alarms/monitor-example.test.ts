/**
 * Runs the code of examples/alarms/monitor.ts, which the "Alarms" page
 * shows: checks on an interval, and what an operator reads from outside the
 * object over RPC (the page shows region "from-outside").
 */
// #region from-outside
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MonitorDO } from "../../examples/alarms/monitor";
import { MAX_ATTEMPTS } from "lumenize-do";
// #endregion from-outside
// How this repo tests itself: each test's objects are checked for leftovers after it.
import { CLEAN, expectCleanAfterEach, fresh, storedState, track } from "../harness";
import { muteLogs } from "../logs";

expectCleanAfterEach();
muteLogs();

/** Runs the monitor's next `count` schedules now, whether due or not. */
function runNext(stub: DurableObjectStub<MonitorDO>, count: number): Promise<void> {
  return runInDurableObject(stub, async (instance: MonitorDO) => {
    for (let i = 0; i < count; i++) await instance.lmz.alarms.triggerAlarms(1);
  });
}

describe("the alarms page example: MonitorDO", () => {
  it("checks every 60 seconds, each check receiving the beat it ran for", async () => {
    const { stub } = fresh("MONITOR", "monitor");
    await stub.startChecks(60);
    await runNext(stub, 3);
    const checks = await stub.checks();
    expect(checks).toHaveLength(3);
    expect([checks[1] - checks[0], checks[2] - checks[1]]).toEqual([60_000, 60_000]);
    expect(await stub.stopChecks()).toBe(true);
    expect(await stub.stopChecks()).toBe(false);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  // #region from-outside
  it("shows from outside what it waits for and the checks it gave up on, and clears those", async () => {
    // What a Worker (an admin route, say) gets: everything below is RPC.
    const stub = env.MONITOR.getByName("monitor-admin");
  // #endregion from-outside
    track("MONITOR/monitor-admin", () => env.MONITOR.getByName("monitor-admin"));
  // #region from-outside
    await stub.startChecks(60);
    await stub.setUpstreamDown(true);
    // The first check and its retries all throw (run now, inside the object): that occurrence is dropped.
    await runInDurableObject(stub, async (monitor: MonitorDO) => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) await monitor.lmz.alarms.triggerAlarms(1);
    });
    const work = await stub.pendingWork();
    expect(work.schedules).toMatchObject([{ id: "check", type: "interval", handler: "check(…)" }]);
    expect(work.outcomes).toEqual([]);
    expect(work.deadLetters).toMatchObject([{ kind: "schedule", id: "check", attempts: 5, error: "Error: upstream did not answer", handler: "check(…)" }]);
    expect(await stub.clearDeadLetters()).toBe(1);
    expect((await stub.pendingWork()).deadLetters).toEqual([]);
    await stub.stopChecks();
  });
  // #endregion from-outside
});
