/**
 * The settle door `__settle(id, token, outcome)` on every LumenizeBase: it
 * only forwards to `alarms.settle`, so it runs a pending outcome's
 * continuation for the holder of its token, once, and can neither forge an
 * outcome nor reach a schedule.
 */
import { describe, expect, it } from "vitest";
import { $schedule, placeholder } from "../../lib";
import { openOutcome, sealChain } from "../../lib/envelope";
import { muteLogs } from "../logs";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, outcomeOf, storedState } from "../harness";

expectCleanAfterEach();

const HOUR = 3_600_000;
const $outcome = placeholder<unknown>();

muteLogs();

describe("__settle", () => {
  it("runs the continuation with the delivered value, over RPC, and removes the pending outcome", async () => {
    const { stub } = freshProbe("door-value");
    const { id, token } = await inProbe(stub, (probe) => probe.lmz.alarms.expect(probe.ctn().record($outcome, "v"), { deadline: Date.now() + HOUR }));
    expect(await stub.__settle(id, token, await outcomeOf(new Map([["n", 1]])))).toBe(true);
    await inProbe(stub, (probe) => expect(probe.deliveries()).toEqual([{ tag: "v", result: new Map([["n", 1]]) }]));
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("runs the continuation with the delivered error in place of the result", async () => {
    const { stub } = freshProbe("door-error");
    const { id, token } = await inProbe(stub, (probe) => probe.lmz.alarms.expect(probe.ctn().record($outcome, "e"), { deadline: Date.now() + HOUR }));
    expect(await stub.__settle(id, token, await outcomeOf(new RangeError("out of range"), { thrown: true }))).toBe(true);
    await inProbe(stub, (probe) => expect(probe.deliveries()[0].result).toMatchObject({ name: "RangeError", message: "out of range" }));
  });

  it("refuses a forged token: false, and the outcome stays pending for its real holder", async () => {
    const { stub } = freshProbe("door-forged");
    const { id, token } = await inProbe(stub, (probe) => probe.lmz.alarms.expect(probe.ctn().record($outcome, "x"), { deadline: Date.now() + HOUR }));
    for (const forged of ["", "0".repeat(32), `${token}0`, token.slice(1)]) {
      expect(await stub.__settle(id, forged, await outcomeOf("forged"))).toBe(false);
    }
    await inProbe(stub, (probe) => expect(probe.deliveries()).toEqual([]));
    expect((await storedState(stub)).outcomes).toHaveLength(1);
    expect(await stub.__settle(id, token, await outcomeOf("real"))).toBe(true);
    await inProbe(stub, (probe) => expect(probe.deliveries()).toEqual([{ tag: "x", result: "real" }]));
  });

  it("cannot settle, cancel or run a schedule, whatever id and token it is given", async () => {
    const { stub } = freshProbe("door-schedule");
    const made = await inProbe(stub, (probe) => probe.lmz.alarms.schedule(HOUR / 1000, probe.ctn().record($schedule, "mine"), { id: "wait" }));
    expect(await stub.__settle("wait", "", await outcomeOf("forged"))).toBe(false);
    expect(await stub.__settle("wait", "0".repeat(32), await outcomeOf("forged"))).toBe(false);
    await inProbe(stub, (probe) => {
      expect(probe.deliveries()).toEqual([]);
      expect(probe.lmz.alarms.getSchedule("wait")).toEqual(made);
      probe.lmz.alarms.cancelSchedule("wait");
    });
  });

  it("returns false for a second delivery, an unknown id, or an outcome its deadline answered", async () => {
    const { stub } = freshProbe("door-late");
    const [once, expired] = await inProbe(stub, (probe) => [
      probe.lmz.alarms.expect(probe.ctn().record($outcome, "once"), { deadline: Date.now() + HOUR }),
      probe.lmz.alarms.expect(probe.ctn().record($outcome, "expired"), { deadline: Date.now() - 1 }),
    ]);
    await inProbe(stub, (probe) => probe.lmz.alarms.triggerAlarms());
    const value = await outcomeOf("x");
    expect(await stub.__settle(once.id, once.token, value)).toBe(true);
    expect(await stub.__settle(once.id, once.token, value)).toBe(false);
    expect(await stub.__settle("never-made", once.token, value)).toBe(false);
    expect(await stub.__settle(expired.id, expired.token, value)).toBe(false);
    await inProbe(stub, (probe) => expect(probe.deliveries().map(({ tag }) => tag)).toEqual(["expired", "once"]));
  });

  it("refuses a malformed delivery without throwing and without consuming the outcome", async () => {
    const { stub } = freshProbe("door-malformed");
    await inProbe(stub, async (probe) => {
      const { id, token } = probe.lmz.alarms.expect(probe.ctn().record($outcome, "m"), { deadline: Date.now() + HOUR });
      expect(await probe.__settle(id, token, { nope: true } as never)).toBe(false);
      expect(await probe.__settle(id, token, null as never)).toBe(false);
      expect(await probe.__settle(42 as never, token, await outcomeOf(1))).toBe(false);
      expect(await probe.__settle(id, { token } as never, await outcomeOf(1))).toBe(false);
      expect(probe.deliveries()).toEqual([]);
      expect(await probe.__settle(id, token, await outcomeOf("fine"))).toBe(true);
    });
  });

  it("is not reachable through a chain", async () => {
    const { stub } = freshProbe("door-chain");
    await inProbe(stub, async (probe) => {
      const outcome = await probe.__executeChain(sealChain([{ type: "get", key: "__settle" }], {}));
      expect(() => openOutcome(outcome)).toThrow(/"__settle" is never reachable through a chain/);
    });
  });
});
