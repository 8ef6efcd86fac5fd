/**
 * The delivery door `__settleSchedule` on LumenizeBase: a result from
 * elsewhere runs a pending schedule's continuation now; of the delivery and
 * the schedule's own firing, exactly one runs it.
 */
import { describe, expect, it } from "vitest";
import { $schedule, InvalidInputError, preprocess } from "../../lib";
import { expectCleanAfterEach, freshOrigin, inOrigin, storedState } from "./harness";

expectCleanAfterEach();

const HOUR = 3_600;

describe("__settleSchedule", () => {
  it("cancels the schedule and runs its continuation with the delivered value", async () => {
    const { stub } = freshOrigin("settle-value");
    await inOrigin(stub, (probe) => probe.lmz.alarms.schedule(HOUR, probe.ctn().record($schedule, "v"), { id: "wait" }));
    expect(await stub.__settleSchedule("wait", { ok: true, value: await preprocess(new Map([["n", 1]])) })).toBe(true);
    await inOrigin(stub, (probe) => expect(probe.deliveries()).toEqual([{ tag: "v", result: new Map([["n", 1]]) }]));
    expect(await storedState(stub)).toMatchObject({ schedules: [], alarm: null });
  });

  it("runs the continuation with the delivered error in place of the result", async () => {
    const { stub } = freshOrigin("settle-error");
    await inOrigin(stub, (probe) => probe.lmz.alarms.schedule(HOUR, probe.ctn().record($schedule, "e"), { id: "wait" }));
    expect(await stub.__settleSchedule("wait", { ok: false, error: await preprocess(new RangeError("out of range")) })).toBe(true);
    await inOrigin(stub, (probe) => expect(probe.deliveries()[0].result).toMatchObject({ name: "RangeError", message: "out of range" }));
  });

  it("returns false for a second delivery, an unknown id, or a schedule that already fired", async () => {
    const { stub } = freshOrigin("settle-late");
    await inOrigin(stub, (probe) => {
      probe.lmz.alarms.schedule(HOUR, probe.ctn().record($schedule, "once"), { id: "once" });
      probe.lmz.alarms.schedule(HOUR, probe.ctn().record($schedule, "fired"), { id: "fired" });
    });
    const value = { ok: true as const, value: await preprocess("x") };
    expect(await stub.__settleSchedule("once", value)).toBe(true);
    expect(await stub.__settleSchedule("once", value)).toBe(false);
    expect(await stub.__settleSchedule("never-made", value)).toBe(false);
    await inOrigin(stub, (probe) => probe.lmz.alarms.triggerAlarms(1));
    expect(await stub.__settleSchedule("fired", value)).toBe(false);
    await inOrigin(stub, (probe) => expect(probe.deliveries().map(({ tag }) => tag)).toEqual(["once", "fired"]));
  });

  it("refuses a malformed outcome and leaves the schedule pending", async () => {
    const { stub } = freshOrigin("settle-malformed");
    await inOrigin(stub, async (probe) => {
      probe.lmz.alarms.schedule(HOUR, probe.ctn().record($schedule, "m"), { id: "keep" });
      await expect(probe.__settleSchedule("keep", { nope: true } as never)).rejects.toThrow(InvalidInputError);
      await expect(probe.__settleSchedule("", { ok: true, value: await preprocess(1) })).rejects.toThrow(/needs a schedule id/);
      expect(probe.lmz.alarms.getSchedule("keep")).toBeDefined();
      expect(probe.deliveries()).toEqual([]);
      probe.lmz.alarms.cancelSchedule("keep");
    });
  });

  it("is not reachable through a chain", async () => {
    const { stub } = freshOrigin("settle-chain");
    await inOrigin(stub, async (probe) => {
      const outcome = await probe.__executeChain({ v: 1, chain: await preprocess([{ type: "get", key: "__settleSchedule" }]) });
      expect(outcome.ok).toBe(false);
    });
  });
});
