/**
 * Eviction (the platform tearing down an idle object, storage kept) is not a
 * crash: schedules live in SQLite and the platform alarm outlives the
 * instance, so every pending schedule still fires, once.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $schedule } from "../../lib";
import { waitForAtLeast } from "../wait";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";

expectCleanAfterEach();

describe("schedules across an eviction", () => {
  it("fires every schedule pending when the object was evicted, once each", async () => {
    const { stub } = freshProbe("evicted");
    await inProbe(stub, (probe) => {
      probe.lmz.alarms.schedule(0.2, probe.ctn().recordDurably($schedule, "delay"), { id: "delay" });
      probe.lmz.alarms.schedule(new Date(Date.now() + 400), probe.ctn().recordDurably($schedule, "date"), { id: "date" });
      probe.lmz.alarms.schedule(0.3, probe.ctn().recordDurably($schedule, "cancelled"), { id: "cancelled" });
      probe.lmz.alarms.cancelSchedule("cancelled");
    });
    await evictDurableObject(stub);
    await waitForAtLeast(() => stub.durableDeliveries(), 2, "fired");
    // Long enough for a second firing, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await stub.durableDeliveries()).toEqual(["delay: schedule delay", "date: schedule date"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("keeps firing a cron schedule after an eviction between occurrences", async () => {
    const { stub } = freshProbe("evicted-cron");
    await inProbe(stub, (probe) => {
      probe.lmz.alarms.schedule("* * * * *", probe.ctn().recordDurably($schedule, "cron"), { id: "minutely" });
    });
    await evictDurableObject(stub);
    // The next occurrence is up to a minute away: run it through the platform's own alarm handler.
    const ran = await inProbe(stub, (probe) => probe.lmz.alarms.triggerAlarms(1));
    expect(ran.map((schedule) => schedule.id)).toEqual(["minutely"]);
    expect(await stub.durableDeliveries()).toEqual(["cron: schedule minutely"]);
    await inProbe(stub, (probe) => probe.lmz.alarms.cancelSchedule("minutely"));
  });
});
