/**
 * Pending outcomes (`expect` / `settle`): one stored continuation, one
 * outcome. Whoever claims first (a settle with the right token, or the
 * deadline) runs it, once; it is never retried, even when it throws.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $schedule, AlarmsError, DataCloneError, placeholder, RETRY_BASE_DELAY_MS } from "../../lib";
import type { ProbeDO } from "../fixtures/probe";
import { muteLogs } from "../logs";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { tagsOf, waitForTags } from "./harness";

expectCleanAfterEach();

const HOUR = 3_600_000;
/** Where the outcome goes, in a probe's continuation. */
const $outcome = placeholder<unknown>();

const logs = muteLogs();

function outcomeRows(sql: SqlStorage): { id: string; token: string; time: number; message: string }[] {
  const table = sql.exec("SELECT 1 FROM sqlite_master WHERE name = '__lmz_outcomes'").toArray();
  return table.length === 0 ? [] : sql.exec<{ id: string; token: string; time: number; message: string }>("SELECT id, token, time, message FROM __lmz_outcomes").toArray();
}

describe("expect", () => {
  it("stores one row with an unguessable token and arms the platform alarm at the deadline", async () => {
    const { stub } = freshProbe("expect");
    await inProbe(stub, async (probe, state) => {
      const deadline = Date.now() + HOUR;
      const a = probe.lmz.alarms.expect(probe.ctn().record($outcome, "a"), { deadline });
      const b = probe.lmz.alarms.expect(probe.ctn().record($outcome, "b"), { deadline: new Date(deadline + 1) });
      expect(a).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), token: expect.stringMatching(/^[0-9a-f]{32}$/), deadline });
      expect(b.deadline).toBe(deadline + 1);
      expect(b.token).not.toBe(a.token);
      expect(outcomeRows(state.storage.sql).map((row) => row.id).sort()).toEqual([a.id, b.id].sort());
      expect(await state.storage.getAlarm()).toBe(deadline);
      await probe.lmz.alarms.settle(a.id, a.token, "x");
      await probe.lmz.alarms.settle(b.id, b.token, "x");
    });
  });

  it("takes an id of your own, unique until the outcome is settled", async () => {
    const { stub } = freshProbe("expect-id");
    await inProbe(stub, async (probe, state) => {
      const made = probe.lmz.alarms.expect(probe.ctn().record($outcome, "first"), { id: "payment-42", deadline: Date.now() + HOUR });
      expect(made.id).toBe("payment-42");
      expect(() => probe.lmz.alarms.expect(probe.ctn().record($outcome, "second"), { id: "payment-42", deadline: Date.now() + HOUR })).toThrow(
        'A pending outcome with id "payment-42" already exists: an id is unique until its outcome is settled or times out.',
      );
      expect(() => probe.lmz.alarms.expect(probe.ctn().record($outcome, "x"), { id: "", deadline: Date.now() + HOUR })).toThrow(AlarmsError);
      expect(outcomeRows(state.storage.sql).map((row) => row.token)).toEqual([made.token]);
      await probe.lmz.alarms.settle("payment-42", made.token, "paid");
      // Settled: the id is free again.
      const again = probe.lmz.alarms.expect(probe.ctn().record($outcome, "again"), { id: "payment-42", deadline: Date.now() + HOUR });
      await probe.lmz.alarms.settle("payment-42", again.token, "paid again");
      expect(probe.deliveries().map(({ tag }) => tag)).toEqual(["first", "again"]);
    });
  });

  it("is not a schedule: the schedule api neither lists, reads nor cancels it", async () => {
    const { stub } = freshProbe("not-a-schedule");
    await inProbe(stub, async (probe) => {
      const { id, token } = probe.lmz.alarms.expect(probe.ctn().record($outcome, "x"), { deadline: Date.now() + HOUR });
      expect(probe.lmz.alarms.getSchedules()).toEqual([]);
      expect(probe.lmz.alarms.getSchedule(id)).toBeUndefined();
      expect(probe.lmz.alarms.cancelSchedule(id)).toBeUndefined();
      expect(await probe.lmz.alarms.settle(id, token, "still pending")).toBe(true);
    });
  });

  it("refuses a continuation that is not a chain or has no placeholder, and a bad deadline, storing nothing", async () => {
    const { stub } = freshProbe("expect-refused");
    await inProbe(stub, (probe, state) => {
      const alarms = probe.lmz.alarms;
      const deadline = Date.now() + HOUR;
      expect(() => alarms.expect(probe.ctn().record("no placeholder", "x"), { deadline })).toThrow(
        "The continuation given to expect() has no result placeholder: build it with this.ctn() and put a placeholder where the outcome goes",
      );
      expect(() => alarms.expect((() => 1) as never, { deadline })).toThrow(/is not an operation chain \(got a function\)/);
      for (const bad of [Number.NaN, Infinity, 9e15, new Date(Number.NaN), "soon", undefined]) {
        expect(() => alarms.expect(probe.ctn().record($outcome, "x"), { deadline: bad as never })).toThrow(AlarmsError);
      }
      expect(() => alarms.expect(probe.ctn().record($outcome, "x"), { deadline: Number.NaN })).toThrow(
        "Invalid deadline NaN given to expect(): give a Date or epoch milliseconds that a Date can hold.",
      );
      expect(() => alarms.expect(probe.ctn().record($outcome, (() => 1) as never), { deadline })).toThrow(DataCloneError);
      expect(outcomeRows(state.storage.sql)).toEqual([]);
    });
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });
});

describe("settle", () => {
  it("runs the continuation once with the outcome, removes the row and disarms the alarm", async () => {
    const { stub } = freshProbe("settle");
    await inProbe(stub, async (probe, state) => {
      const { id, token } = probe.lmz.alarms.expect(probe.ctn().record($outcome, "paid"), { deadline: Date.now() + HOUR });
      expect(await probe.lmz.alarms.settle(id, token, new Map([["amount", 42]]))).toBe(true);
      expect(probe.deliveries()).toEqual([{ tag: "paid", result: new Map([["amount", 42]]) }]);
      expect(outcomeRows(state.storage.sql)).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
      expect(await probe.lmz.alarms.settle(id, token, "again")).toBe(false);
      expect(probe.deliveries()).toHaveLength(1);
    });
  });

  it("delivers an Error in place of the result", async () => {
    const { stub } = freshProbe("settle-error");
    await inProbe(stub, async (probe) => {
      const { id, token } = probe.lmz.alarms.expect(probe.ctn().record($outcome, "e"), { deadline: Date.now() + HOUR });
      await probe.lmz.alarms.settle(id, token, new RangeError("declined"));
      expect(probe.deliveries()[0].result).toBeInstanceOf(RangeError);
    });
  });

  it("refuses a wrong token or an unknown id and changes nothing", async () => {
    const { stub } = freshProbe("settle-forged");
    await inProbe(stub, async (probe, state) => {
      const { id, token } = probe.lmz.alarms.expect(probe.ctn().record($outcome, "x"), { deadline: Date.now() + HOUR });
      expect(await probe.lmz.alarms.settle(id, "0".repeat(32), "forged")).toBe(false);
      expect(await probe.lmz.alarms.settle(id, token.toUpperCase(), "forged")).toBe(false);
      expect(await probe.lmz.alarms.settle("never-made", token, "forged")).toBe(false);
      expect(await probe.lmz.alarms.settle(id, undefined as never, "forged")).toBe(false);
      expect(probe.deliveries()).toEqual([]);
      expect(outcomeRows(state.storage.sql)).toHaveLength(1);
      expect(logs.warnings.mock.calls.map(([message]) => message)).toContain(`[lumenize] alarms: refused to settle pending outcome "${id}": wrong token.`);
      await probe.lmz.alarms.settle(id, token, "real");
      expect(probe.deliveries()).toEqual([{ tag: "x", result: "real" }]);
    });
  });

  it("of two settles at once, runs only the first", async () => {
    const { stub } = freshProbe("settle-race");
    await inProbe(stub, async (probe) => {
      const { id, token } = probe.lmz.alarms.expect(probe.ctn().record($outcome, "x"), { deadline: Date.now() + HOUR });
      expect(await Promise.all([probe.lmz.alarms.settle(id, token, "first"), probe.lmz.alarms.settle(id, token, "second")])).toEqual([true, false]);
      expect(probe.deliveries()).toEqual([{ tag: "x", result: "first" }]);
    });
  });

  it("logs a continuation that throws and never runs it again", async () => {
    const { stub } = freshProbe("settle-throws");
    await inProbe(stub, async (probe) => {
      const { id, token } = probe.lmz.alarms.expect(probe.ctn().explode($outcome, "boom"), { deadline: Date.now() + 200 });
      expect(await probe.lmz.alarms.settle(id, token, "value")).toBe(true);
      expect(logs.errors.mock.calls[0][0]).toBe(`[lumenize] pending outcome "${id}": continuation explode(…) threw`);
      // Nothing left for the deadline, a retry or a second settle to run.
      await scheduler.wait(300);
      expect(await probe.lmz.alarms.triggerAlarms(10)).toEqual([]);
      expect(await probe.lmz.alarms.settle(id, token, "value")).toBe(false);
      expect(probe.deliveries()).toHaveLength(1);
    });
  });
});

describe("the deadline", () => {
  it("runs the continuation once with a TimeoutError carrying the message, through the real platform alarm", async () => {
    const { stub } = freshProbe("deadline");
    const { id, token } = await inProbe(stub, (probe) =>
      probe.lmz.alarms.expect(probe.ctn().record($outcome, "late"), { deadline: Date.now() + 100, timeoutMessage: "The payment provider never called back." }),
    );
    await waitForTags(stub, 1);
    await inProbe(stub, async (probe) => {
      expect(probe.deliveries()[0].result).toMatchObject({ name: "TimeoutError", message: "The payment provider never called back." });
      // The result turns up after the deadline answered: too late, nothing runs.
      expect(await probe.lmz.alarms.settle(id, token, "late value")).toBe(false);
      expect(probe.deliveries()).toHaveLength(1);
    });
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("names the id and the deadline in the default message", async () => {
    const { stub } = freshProbe("deadline-message");
    await inProbe(stub, async (probe) => {
      const { id, deadline } = probe.lmz.alarms.expect(probe.ctn().record($outcome, "x"), { deadline: Date.now() - 1 });
      expect(await probe.lmz.alarms.triggerAlarms()).toEqual([
        { type: "outcome", id, time: deadline, operationChain: [{ type: "get", key: "record" }, { type: "apply", args: [{ placeholder: true }, { value: "x" }] }] },
      ]);
      expect((probe.deliveries()[0].result as Error).message).toBe(`No outcome arrived for pending outcome "${id}" by its deadline, ${new Date(deadline).toISOString()}.`);
    });
  });

  it("never retries a continuation that throws on the timeout path", async () => {
    const { stub } = freshProbe("deadline-throws");
    await inProbe(stub, (probe) => probe.lmz.alarms.expect(probe.ctn().explode($outcome, "boom"), { deadline: Date.now() + 50 }));
    await waitForTags(stub, 1);
    // Longer than the first retry of a throwing schedule would wait.
    await scheduler.wait(RETRY_BASE_DELAY_MS + 300);
    expect(await tagsOf(stub)).toEqual(["boom"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("rides the same alarm as the schedules, in time order", async () => {
    const { stub } = freshProbe("deadline-order");
    await inProbe(stub, async (probe) => {
      const now = Date.now();
      probe.lmz.alarms.schedule(new Date(now + 3 * HOUR), probe.ctn().record($schedule, "schedule 3"));
      probe.lmz.alarms.expect(probe.ctn().record($outcome, "outcome 2"), { deadline: now + 2 * HOUR });
      probe.lmz.alarms.schedule(new Date(now + HOUR), probe.ctn().record($schedule, "schedule 1"));
      expect((await probe.lmz.alarms.triggerAlarms(2)).map((fired) => fired.type)).toEqual(["scheduled", "outcome"]);
      expect(await probe.lmz.alarms.triggerAlarms(5)).toHaveLength(1);
      expect(probe.deliveries().map((delivery) => delivery.tag)).toEqual(["schedule 1", "outcome 2", "schedule 3"]);
    });
  });

  it("gives way to the next row after handlerTimeout when the continuation hangs", async () => {
    const { stub } = freshProbe("deadline-hangs");
    await inProbe(stub, async (probe) => {
      probe.lmz.alarms.handlerTimeout = 100;
      probe.lmz.alarms.expect(probe.ctn().recordAfter($outcome, "slow", 2_000), { deadline: Date.now() + HOUR });
      probe.lmz.alarms.expect(probe.ctn().record($outcome, "next"), { deadline: Date.now() + 2 * HOUR });
      const started = Date.now();
      expect(await probe.lmz.alarms.triggerAlarms(2)).toHaveLength(2);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(probe.deliveries().map((delivery) => delivery.tag)).toEqual(["next"]);
      // The slow one was only waited for less long: it still runs, once.
      await scheduler.wait(2_000);
      expect(probe.deliveries().map((delivery) => delivery.tag)).toEqual(["next", "slow"]);
    });
  });
});

describe("across a restart", () => {
  it("survives the object being aborted, and is settled once by the new instance", async () => {
    const { name, stub: before } = freshProbe("restart");
    const { id, token } = await inProbe(before, (probe) =>
      probe.lmz.alarms.expect(probe.ctn().recordDurably($outcome, "after restart"), { deadline: Date.now() + HOUR }),
    );
    await abortAllDurableObjects();
    const stub: DurableObjectStub<ProbeDO> = env.PROBE.getByName(name);
    expect(await inProbe(stub, (probe) => probe.lmz.alarms.settle(id, token, "delivered"))).toBe(true);
    expect(await inProbe(stub, (probe) => probe.lmz.alarms.settle(id, token, "delivered"))).toBe(false);
    expect(await stub.durableDeliveries()).toEqual(['after restart: "delivered"']);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });
});
