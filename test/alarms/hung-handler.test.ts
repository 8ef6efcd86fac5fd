/**
 * A handler that does not finish in time: alarms stops waiting for it after
 * `handlerTimeout`, sends its row down the retry path and fires the others.
 * The late handler, when it does finish, cannot touch the row (its claim
 * ended at the deadline).
 */
import { describe, expect, it, vi } from "vitest";
import { $schedule, AlarmsError, DEFAULT_HANDLER_TIMEOUT, RETRY_BASE_DELAY_MS } from "../../lib";
import { muteLogs } from "../logs";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { waitForTags } from "./harness";

expectCleanAfterEach();

const logs = muteLogs();

describe("a hung handler", () => {
  it("does not hold up the schedules due after it", async () => {
    const { stub } = freshProbe("hung");
    await inProbe(stub, (probe) => {
      probe.lmz.alarms.handlerTimeout = 200;
      probe.lmz.alarms.schedule(new Date(Date.now() - 2), probe.ctn().sleep(20_000), { id: "hung" });
      probe.lmz.alarms.schedule(new Date(Date.now() - 1), probe.ctn().record($schedule, "next"), { id: "next" });
    });
    // The real platform alarm: "next" runs once "hung" ran out of time, long before it would wake.
    expect(await waitForTags(stub, 1, 5_000)).toEqual(["next"]);
    const retry = await inProbe(stub, (probe) => probe.lmz.alarms.getSchedule("hung"));
    expect(retry?.time).toBeGreaterThan(Date.now());
    expect(logs.warnings.mock.calls.some(([message]) => /schedule "hung" .* attempt 1 of 5; retrying in 1000 ms\. .*did not finish within 200 ms/.test(String(message)))).toBe(true);
    await inProbe(stub, (probe) => probe.lmz.alarms.cancelSchedule("hung"));
  });

  it("that finishes after its deadline leaves the row to its retry", async () => {
    const { stub } = freshProbe("late");
    await inProbe(stub, async (probe, state) => {
      probe.lmz.alarms.handlerTimeout = 100;
      probe.lmz.alarms.schedule(0, probe.ctn().sleep(400), { id: "late" });
      const before = Date.now();
      expect((await probe.lmz.alarms.triggerAlarms()).map((schedule) => schedule.id)).toEqual(["late"]);
      expect(Date.now() - before).toBeLessThan(400);
      const released = state.storage.sql.exec("SELECT time, attempts FROM __lmz_alarms").one();
      expect(released).toMatchObject({ attempts: 1 });
      expect(released.time).toBeGreaterThanOrEqual(before + RETRY_BASE_DELAY_MS);
      // The handler finishes now, late: its finish must not delete the row waiting for its retry.
      await scheduler.wait(500);
      expect(state.storage.sql.exec("SELECT time, attempts FROM __lmz_alarms").one()).toEqual(released);
      expect(await state.storage.getAlarm()).toBe(released.time);
      probe.lmz.alarms.cancelSchedule("late");
    });
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("that finishes after its deadline cannot finish the retry run that holds the row meanwhile", async () => {
    const { stub } = freshProbe("late-retry");
    await inProbe(stub, async (probe, state) => {
      probe.lmz.alarms.handlerTimeout = 100;
      probe.lmz.alarms.schedule(0, probe.ctn().sleep(300), { id: "twice" });
      await probe.lmz.alarms.triggerAlarms();
      // The retry claims the row with time to finish; the first run ends (late) while the retry holds it.
      probe.lmz.alarms.handlerTimeout = 2_000;
      const retry = probe.lmz.alarms.triggerAlarms(1);
      await scheduler.wait(250);
      // The retry holds the row: it has fired, and cannot be cancelled.
      expect(state.storage.sql.exec("SELECT attempts FROM __lmz_alarms").one().attempts).toBe(1);
      expect(probe.lmz.alarms.getSchedule("twice")).toBeUndefined();
      expect(probe.lmz.alarms.cancelSchedule("twice")).toBeUndefined();
      await retry;
      // Only the retry's own end finished the one-shot.
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM __lmz_alarms").one().n).toBe(0);
    });
  });

  it("has a default deadline well under the platform's 15 minutes", async () => {
    const { stub } = freshProbe("default-timeout");
    await inProbe(stub, (probe) => {
      expect(probe.lmz.alarms.handlerTimeout).toBe(DEFAULT_HANDLER_TIMEOUT);
      expect(DEFAULT_HANDLER_TIMEOUT).toBeLessThanOrEqual(60_000);
    });
  });

  it("refuses a handler timeout that is not a positive, finite number of milliseconds", async () => {
    const { stub } = freshProbe("bad-timeout");
    await inProbe(stub, (probe) => {
      for (const bad of [0, -1, Infinity, Number.NaN, "60000" as never]) {
        expect(() => (probe.lmz.alarms.handlerTimeout = bad)).toThrow(AlarmsError);
      }
      expect(() => (probe.lmz.alarms.handlerTimeout = 0)).toThrow("Invalid handlerTimeout 0: give a positive, finite number of milliseconds (the default is 60000).");
      expect(probe.lmz.alarms.handlerTimeout).toBe(DEFAULT_HANDLER_TIMEOUT);
    });
  });
});

describe("one alarm invocation", () => {
  it("stops starting handlers after its time budget and leaves the rest waiting", async () => {
    const { stub } = freshProbe("budget");
    await inProbe(stub, async (probe) => {
      // An hour away, so only triggerAlarms runs them (not the platform alarm meanwhile).
      probe.lmz.alarms.schedule(3_600, probe.ctn().sleep(50), { id: "first" });
      probe.lmz.alarms.schedule(3_601, probe.ctn().record($schedule, "second"), { id: "second" });
      // The clock jumps 11 minutes while the first handler runs.
      const realNow = Date.now;
      const started = realNow();
      vi.spyOn(Date, "now").mockImplementation(() => (realNow() - started > 20 ? realNow() + 11 * 60_000 : realNow()));
      const ran = await probe.lmz.alarms.triggerAlarms(2);
      vi.mocked(Date.now).mockRestore();
      expect(ran.map((fired) => fired.id)).toEqual(["first"]);
      expect(probe.deliveries()).toEqual([]);
      expect(probe.lmz.alarms.cancelSchedule("second")?.id).toBe("second");
    });
  });
});
