/**
 * After `ctx.storage.deleteAll()` (which, from compatibility date 2026-02-24,
 * also deletes the platform alarm), alarms keeps working: no stale "the table
 * exists" or "the alarm is armed" belief survives the wipe.
 */
import { describe, expect, it } from "vitest";
import { $schedule, placeholder } from "../../lib";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { waitForTags } from "./harness";

expectCleanAfterEach();

describe("alarms after deleteAll", () => {
  it("schedules and fires again after the storage was wiped", async () => {
    const { stub } = freshProbe("wiped");
    await inProbe(stub, async (probe, state) => {
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "wiped away"));
      await state.storage.deleteAll();
      expect(await state.storage.getAlarm()).toBeNull();
      probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "after the wipe"));
    });
    expect(await waitForTags(stub, 1)).toEqual(["after the wipe"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("re-arms the platform alarm for a schedule at the time the wiped one had", async () => {
    const { stub } = freshProbe("wiped-same-time");
    await inProbe(stub, async (probe, state) => {
      const at = new Date(Date.now() + 200);
      probe.lmz.alarms.schedule(at, probe.ctn().record($schedule, "wiped away"));
      await state.storage.deleteAll();
      probe.lmz.alarms.schedule(at, probe.ctn().record($schedule, "same time"));
      expect(await state.storage.getAlarm()).toBe(at.getTime());
    });
    expect(await waitForTags(stub, 1)).toEqual(["same time"]);
  });

  it("takes and times out pending outcomes again after the storage was wiped", async () => {
    const { stub } = freshProbe("wiped-outcomes");
    await inProbe(stub, async (probe, state) => {
      const wiped = probe.lmz.alarms.expect(probe.ctn().record(placeholder(), "wiped away"), { deadline: Date.now() + 60_000 });
      await state.storage.deleteAll();
      expect(await probe.lmz.alarms.settle(wiped.id, wiped.token, "too late")).toBe(false);
      probe.lmz.alarms.expect(probe.ctn().record(placeholder(), "after the wipe"), { deadline: Date.now() + 100 });
    });
    expect(await waitForTags(stub, 1)).toEqual(["after the wipe"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("reads a wiped table as empty", async () => {
    const { stub } = freshProbe("wiped-reads");
    await inProbe(stub, async (probe, state) => {
      const { id } = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "x"));
      await state.storage.deleteAll();
      expect(probe.lmz.alarms.getSchedules()).toEqual([]);
      expect(probe.lmz.alarms.getSchedule(id)).toBeUndefined();
      expect(probe.lmz.alarms.cancelSchedule(id)).toBeUndefined();
      expect(await probe.lmz.alarms.triggerAlarms()).toEqual([]);
    });
  });
});
