/**
 * ScheduleOptions.result: the value result placeholders receive when a
 * schedule fires, instead of the Schedule; stored with the row through
 * structured-clone, so rich values and Errors come back as they went in.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $schedule, DataCloneError, TimeoutError } from "../../lib";
import { expectCleanAfterEach, freshProbe, inProbe, rowCount } from "./harness";

expectCleanAfterEach();

describe("schedule options.result", () => {
  it("hands the continuation the given result instead of the schedule", async () => {
    const { stub } = freshProbe("result-value");
    await inProbe(stub, async (probe) => {
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "value"), { result: { when: new Date(0), tags: new Set(["a"]) } });
      await probe.lmz.alarms.triggerAlarms(1);
      expect(probe.deliveries()).toEqual([{ tag: "value", result: { when: new Date(0), tags: new Set(["a"]) } }]);
    });
  });

  it("keeps an error's name and message, so a timeout schedule can deliver a TimeoutError", async () => {
    const { stub } = freshProbe("result-error");
    await inProbe(stub, (probe, state) => {
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "timeout"), { result: new TimeoutError("no answer within 5 s") });
      // Made due (the platform alarm stays a minute away) so runDurableObjectAlarm runs it.
      state.storage.sql.exec("UPDATE __lmz_alarms SET time = 0");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await inProbe(stub, (probe) => {
      const [{ result }] = probe.deliveries();
      expect(result).toBeInstanceOf(Error);
      expect(result).toMatchObject({ name: "TimeoutError", message: "no answer within 5 s" });
    });
  });

  it("defaults to the fired schedule when result is left out or undefined", async () => {
    const { stub } = freshProbe("result-default");
    await inProbe(stub, async (probe) => {
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "omitted"), { id: "a" });
      probe.lmz.alarms.schedule(61, probe.ctn().record($schedule, "undefined"), { id: "b", result: undefined });
      await probe.lmz.alarms.triggerAlarms(2);
      expect(probe.deliveries().map(({ result }) => (result as { id: string }).id)).toEqual(["a", "b"]);
    });
  });

  it("refuses a result that cannot be stored, storing nothing", async () => {
    const { stub } = freshProbe("result-uncloneable");
    await inProbe(stub, (probe, state) => {
      expect(() => probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "x"), { result: { callback: () => 1 } })).toThrow(DataCloneError);
      expect(rowCount(state.storage.sql)).toBe(0);
    });
  });

  it("is not part of the schedule that cancel and get return", async () => {
    const { stub } = freshProbe("result-hidden");
    await inProbe(stub, (probe) => {
      const made = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "x"), { id: "r", result: 42 });
      expect(probe.lmz.alarms.getSchedule("r")).toEqual(made);
      expect(probe.lmz.alarms.cancelSchedule("r")).toEqual(made);
    });
  });
});
