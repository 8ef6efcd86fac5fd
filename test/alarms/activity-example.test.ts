/**
 * Runs the code of examples/alarms/activity.ts, which the "Alarms" page
 * shows: a flush scheduled on every event with `ifExists: "keep"` runs within
 * its 30 seconds however steady the traffic; replacing it on every event
 * would push it back forever (the heartbeat bug of issue 16).
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ActivityDO } from "../../examples/alarms/activity";
import { CLEAN, expectCleanAfterEach, fresh, storedState } from "../harness";

expectCleanAfterEach();

/** As if `ms` had passed for the object's schedules (its platform alarm stays where it was). */
function pass(stub: DurableObjectStub<ActivityDO>, ms: number): Promise<void> {
  return runInDurableObject(stub, (_instance: ActivityDO, state) => {
    state.storage.sql.exec("UPDATE __lmz_alarms SET time = time - ?", ms);
  });
}

describe("the alarms page example: ActivityDO", () => {
  it("flushes 30 seconds after the first event, although an event came every 10 seconds", async () => {
    const { stub } = fresh("ACTIVITY", "activity");
    for (const event of ["a", "b", "c"]) {
      await stub.track(event);
      await pass(stub, 10_000);
    }
    // Thirty seconds after "a": the flush it scheduled is due, and the platform alarm runs it.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.batches()).toEqual([["a", "b", "c"]]);
    // The next event starts the next window.
    await stub.track("d");
    await pass(stub, 30_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.batches()).toEqual([["a", "b", "c"], ["d"]]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });
});
