/**
 * alarm() and triggerAlarms(): due schedules run in time order with their
 * Schedule, overdue ones included; the constructor only re-arms; a cancel
 * racing a firing has exactly one outcome; nothing made meanwhile is lost.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { $schedule, type Schedule } from "../../lib";
import { CLAIMS_SQL } from "../../lib/alarms/store";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, rowCount, storedState } from "../harness";
import { tagsOf, waitForTags } from "./harness";

expectCleanAfterEach();

const HOUR = 3_600_000;

/** Moves every row `ms` earlier, as if that much time had passed (the platform alarm stays where it was). */
function age(sql: SqlStorage, ms: number): void {
  sql.exec("UPDATE __lmz_alarms SET time = time - ?", ms);
}

/** What a firing pass records before running `ids`: as if an instance had claimed them, then died. */
function claimAsACrashedInstance(sql: SqlStorage, ids: string[]): void {
  sql.exec(CLAIMS_SQL.createTable);
  sql.exec(CLAIMS_SQL.set, 1, JSON.stringify(ids));
}

describe("firing through the platform alarm", () => {
  it("fires a delay of 0 and a Date in the past: the alarm is armed at the earliest row, floored at now + 1 ms", async () => {
    const { stub } = freshProbe("due-now");
    await inProbe(stub, async (probe, state) => {
      probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "now"));
      probe.lmz.alarms.schedule(new Date(Date.now() - HOUR), probe.ctn().record($schedule, "an hour ago"));
      const alarm = await state.storage.getAlarm();
      expect(alarm).not.toBeNull();
      expect(alarm!).toBeLessThanOrEqual(Date.now() + 1);
    });
    // The real platform alarm, no test helper: the overdue one first.
    expect(await waitForTags(stub, 2)).toEqual(["an hour ago", "now"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("runs overdue rows when runDurableObjectAlarm fires, never filtering on time > now", async () => {
    const { stub } = freshProbe("overdue");
    await inProbe(stub, (probe, state) => {
      probe.lmz.alarms.schedule(120, probe.ctn().record($schedule, "b"));
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "a"));
      probe.lmz.alarms.schedule(HOUR / 1000, probe.ctn().record($schedule, "not yet"));
      // Two are now an hour overdue; one is due now.
      age(state.storage.sql, HOUR);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await tagsOf(stub)).toEqual(["a", "b", "not yet"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("passes the fired Schedule to the continuation, metadata included, and deletes the one-shot", async () => {
    const { stub } = freshProbe("payload");
    const made = await inProbe(stub, (probe, state) => {
      const schedule = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "payload"), { id: "p1", metadata: { n: 1 } });
      age(state.storage.sql, 60_000);
      return schedule;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [delivery] = await inProbe(stub, (probe) => probe.deliveries());
    expect(delivery.result).toEqual({ ...made, time: made.time - 60_000 });
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("leaves later schedules alone and re-arms the platform alarm at the earliest of them", async () => {
    const { stub } = freshProbe("partial");
    const later = await inProbe(stub, (probe, state) => {
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "due"));
      const next = probe.lmz.alarms.schedule(HOUR / 1000, probe.ctn().record($schedule, "later"));
      age(state.storage.sql, 60_000);
      return next;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await tagsOf(stub)).toEqual(["due"]);
    expect(await storedState(stub)).toMatchObject({ schedules: [{ id: later.id, time: later.time - 60_000 }], alarm: later.time - 60_000 });
    await inProbe(stub, (probe) => probe.lmz.alarms.cancelSchedule(later.id));
  });

  it("fires sub-second schedules in the order of their milliseconds", async () => {
    const { stub } = freshProbe("ms-order");
    const made = await inProbe(stub, (probe) => {
      // The first schedule creates the table: made first, so the clock's ticks during it cannot reorder the rest.
      probe.lmz.alarms.cancelSchedule(probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "warm-up")).id);
      const times: Record<string, number> = {};
      for (const delay of [0.3, 0.1, 0.2, 0.15]) times[`${delay * 1000} ms`] = probe.lmz.alarms.schedule(delay, probe.ctn().record($schedule, `${delay * 1000} ms`)).time;
      return times;
    });
    expect(await waitForTags(stub, 4)).toEqual(["100 ms", "150 ms", "200 ms", "300 ms"]);
    // Each ran with the time it was stored with, to the millisecond.
    const fired = await inProbe(stub, (probe) => probe.deliveries().map((delivery) => [delivery.tag, (delivery.result as Schedule).time]));
    expect(Object.fromEntries(fired)).toEqual(made);
  });

  it("re-arms a cron schedule at its next occurrence after it ran", async () => {
    const { stub } = freshProbe("cron-fires");
    await inProbe(stub, async (probe, state) => {
      const made = probe.lmz.alarms.schedule("*/5 * * * *", probe.ctn().record($schedule, "tick"), { id: "tick" });
      const ran = await probe.lmz.alarms.triggerAlarms(1);
      expect(ran).toEqual([made]);
      const next = probe.lmz.alarms.getSchedule("tick");
      expect(next?.time).toBe(made.time + 5 * 60_000);
      expect(await state.storage.getAlarm()).toBe(next?.time);
      expect(probe.deliveries().map((delivery) => delivery.tag)).toEqual(["tick"]);
      probe.lmz.alarms.cancelSchedule("tick");
    });
  });

  it("arms the platform alarm as late as it can hold for a schedule centuries away, and keeps the schedule", async () => {
    const { stub } = freshProbe("far-future");
    await inProbe(stub, async (probe, state) => {
      const errors = vi.spyOn(console, "error");
      const far = probe.lmz.alarms.schedule(new Date(Date.UTC(2500, 0, 1)), probe.ctn().record($schedule, "far"));
      // The platform refuses alarms after 2189: the alarm wakes the object then, which finds nothing due and re-arms.
      expect(await state.storage.getAlarm()).toBe(Date.UTC(2189, 0, 1));
      expect(errors).not.toHaveBeenCalled();
      errors.mockRestore();
      expect(await probe.lmz.alarms.triggerAlarms()).toEqual([]);
      expect(await state.storage.getAlarm()).toBe(Date.UTC(2189, 0, 1));
      probe.lmz.alarms.cancelSchedule(far.id);
    });
  });

  it("runs a continuation without $schedule too", async () => {
    const { stub } = freshProbe("no-placeholder");
    await inProbe(stub, async (probe) => {
      probe.lmz.alarms.schedule(0, probe.ctn().record("plain", "no placeholder"));
      await probe.lmz.alarms.triggerAlarms();
      expect(probe.deliveries()).toEqual([{ tag: "no placeholder", result: "plain" }]);
    });
  });
});

describe("a fresh instance", () => {
  it("re-arms overdue rows in its constructor and never runs a handler there", async () => {
    const { name, stub: before } = freshProbe("restart");
    await inProbe(before, async (probe, state) => {
      probe.lmz.alarms.schedule(HOUR / 1000, probe.ctn().record($schedule, "overdue after restart"));
      // As after a redeploy that lost the platform alarm: an overdue row and no alarm.
      age(state.storage.sql, 2 * HOUR);
      await state.storage.deleteAlarm();
    });
    await abortAllDurableObjects();
    const stub = env.PROBE.getByName(name);
    const seen = await inProbe(stub, async (probe, state) => ({
      tags: probe.deliveries().map((delivery) => delivery.tag),
      attempts: state.storage.sql.exec("SELECT attempts FROM __lmz_alarms").one().attempts,
      claimsTable: state.storage.sql.exec("SELECT 1 FROM sqlite_master WHERE name = '__lmz_alarms_claims'").toArray().length,
      alarm: await state.storage.getAlarm(),
      now: Date.now(),
    }));
    // Nothing ran, nothing was even claimed; the alarm is armed to fire at once.
    expect(seen.tags).toEqual([]);
    expect(seen.attempts).toBe(0);
    expect(seen.claimsTable).toBe(0);
    expect(seen.alarm).not.toBeNull();
    expect(seen.alarm!).toBeLessThanOrEqual(seen.now + 1);
    expect(await waitForTags(stub, 1)).toEqual(["overdue after restart"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("runs again, once, a schedule a crashed instance was running", async () => {
    const { name, stub: before } = freshProbe("crash");
    await inProbe(before, (probe, state) => {
      probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "at least once"), { id: "crashed" });
      claimAsACrashedInstance(state.storage.sql, ["crashed"]);
    });
    await abortAllDurableObjects();
    const stub = env.PROBE.getByName(name);
    const seen = await inProbe(stub, (_probe, state) => ({
      row: state.storage.sql.exec("SELECT id, attempts FROM __lmz_alarms").one(),
      claims: state.storage.sql.exec("SELECT COUNT(*) AS n FROM __lmz_alarms_claims").one().n,
    }));
    // The crash counted as an attempt, and the claim is cleared.
    expect(seen).toEqual({ row: { id: "crashed", attempts: 1 }, claims: 0 });
    expect(await waitForTags(stub, 1)).toEqual(["at least once"]);
    expect(await tagsOf(stub)).toEqual(["at least once"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("counts a crash against every schedule of the crashed group, then runs each of them alone", async () => {
    const { name, stub: before } = freshProbe("crash-group");
    await inProbe(before, (probe, state) => {
      for (const tag of ["a", "b", "c"]) probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, tag), { id: tag });
      probe.lmz.alarms.schedule(0.001, probe.ctn().record($schedule, "d"), { id: "d" });
      claimAsACrashedInstance(state.storage.sql, ["a", "b", "c"]);
    });
    await abortAllDurableObjects();
    const stub = env.PROBE.getByName(name);
    const attempts = await inProbe(stub, (_probe, state) => state.storage.sql.exec("SELECT id, attempts FROM __lmz_alarms ORDER BY time, id").toArray());
    expect(attempts).toEqual([
      { id: "a", attempts: 1 },
      { id: "b", attempts: 1 },
      { id: "c", attempts: 1 },
      { id: "d", attempts: 0 },
    ]);
    expect(await waitForTags(stub, 4)).toEqual(["a", "b", "c", "d"]);
    // Each suspect claimed alone, then d: four claims, each one row.
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });
});

describe("the platform alarm", () => {
  it("left early by a cancel, fires, finds nothing due, and is set for the next schedule", async () => {
    const { stub } = freshProbe("early-wake");
    const second = await inProbe(stub, async (probe, state) => {
      const first = probe.lmz.alarms.schedule(0.05, probe.ctn().record($schedule, "first"));
      const next = probe.lmz.alarms.schedule(HOUR / 1000, probe.ctn().record($schedule, "second"));
      probe.lmz.alarms.cancelSchedule(first.id);
      expect(await state.storage.getAlarm()).toBe(first.time);
      return next;
    });
    await vi.waitFor(async () => expect((await storedState(stub)).alarm).toBe(second.time), { timeout: 5_000, interval: 20 });
    expect(await tagsOf(stub)).toEqual([]);
    await inProbe(stub, (probe) => probe.lmz.alarms.cancelSchedule(second.id));
  });
});

describe("an interval", () => {
  it("fires every `every` seconds through the real platform alarm, on its own beat", async () => {
    const { stub } = freshProbe("interval-fires");
    const made = await inProbe(stub, (probe) => probe.lmz.alarms.schedule({ every: 0.2 }, probe.ctn().record($schedule, "tick"), { id: "tick" }));
    await waitForTags(stub, 3);
    await inProbe(stub, (probe) => probe.lmz.alarms.cancelSchedule("tick"));
    const times = await inProbe(stub, (probe) => probe.deliveries().map((delivery) => (delivery.result as Schedule).time));
    // Each run received the occurrence it ran for: made.time, then 200 ms steps.
    expect(times.slice(0, 3)).toEqual([made.time, made.time + 200, made.time + 400]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("skips the occurrences missed while the object was down, instead of running them in a burst", async () => {
    const { stub } = freshProbe("interval-missed");
    await inProbe(stub, async (probe, state) => {
      const made = probe.lmz.alarms.schedule({ every: 60 }, probe.ctn().record($schedule, "tick"), { id: "tick" });
      // As if the object had been down for ten minutes and a half.
      age(state.storage.sql, 630_000);
      expect(await probe.lmz.alarms.triggerAlarms()).toHaveLength(1);
      // Its first beat after now: it was due 570 s ago, so 10 beats (600 s) after that, 30 s from now.
      expect(probe.lmz.alarms.getSchedule("tick")?.time).toBe(made.time - 630_000 + 600_000);
      expect(await probe.lmz.alarms.triggerAlarms()).toEqual([]);
      probe.lmz.alarms.cancelSchedule("tick");
    });
  });
});

describe("triggerAlarms", () => {
  it("runs what is due now and returns the schedules it ran", async () => {
    const { stub } = freshProbe("trigger-due");
    await inProbe(stub, async (probe) => {
      const due = probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "due"));
      const later = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "later"));
      expect(await probe.lmz.alarms.triggerAlarms()).toEqual([due]);
      expect(probe.lmz.alarms.getSchedules()).toEqual([later]);
      probe.lmz.alarms.cancelSchedule(later.id);
    });
  });

  it("with a count, runs the next schedules in time order whether due or not", async () => {
    const { stub } = freshProbe("trigger-count");
    await inProbe(stub, async (probe, state) => {
      const alarms = probe.lmz.alarms;
      const third = alarms.schedule(3 * 3600, probe.ctn().record($schedule, "third"));
      const first = alarms.schedule(3600, probe.ctn().record($schedule, "first"));
      const second = alarms.schedule(new Date(Date.now() + 2 * HOUR), probe.ctn().record($schedule, "second"));
      expect((await alarms.triggerAlarms(2)).map((schedule) => schedule.id)).toEqual([first.id, second.id]);
      expect(probe.deliveries().map((delivery) => delivery.tag)).toEqual(["first", "second"]);
      expect(await state.storage.getAlarm()).toBe(third.time);
      expect(await alarms.triggerAlarms(0)).toEqual([]);
      expect(await alarms.triggerAlarms(5)).toEqual([third]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("runs each row once when it races the platform alarm", async () => {
    const { stub } = freshProbe("trigger-race");
    await inProbe(stub, async (probe, state) => {
      for (let i = 0; i < 20; i++) probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, `r${i}`));
      // alarm() and triggerAlarms() both see all 20 as due; each row is claimed once.
      await Promise.all([probe.alarm(), probe.lmz.alarms.triggerAlarms(), probe.lmz.alarms.triggerAlarms(20)]);
      const tags = probe.deliveries().map((delivery) => delivery.tag);
      expect(tags).toHaveLength(20);
      expect(new Set(tags).size).toBe(20);
      expect(rowCount(state.storage.sql)).toBe(0);
    });
  });
});

describe("races with a firing", () => {
  it("a cancel during the run gets undefined, and the run completes: exactly one outcome", async () => {
    const { stub } = freshProbe("cancel-during");
    await inProbe(stub, async (probe, state) => {
      const { id } = probe.lmz.alarms.schedule(0, probe.ctn().sleep(50));
      const run = probe.lmz.alarms.triggerAlarms();
      // The row was claimed before the handler started.
      expect(probe.lmz.alarms.cancelSchedule(id)).toBeUndefined();
      expect(probe.lmz.alarms.getSchedule(id)).toBeUndefined();
      expect((await run).map((schedule) => schedule.id)).toEqual([id]);
      expect(rowCount(state.storage.sql)).toBe(0);
    });
  });

  it("a cancel before the run wins: the handler never runs", async () => {
    const { stub } = freshProbe("cancel-before");
    await inProbe(stub, async (probe) => {
      const { id } = probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "cancelled"));
      expect(probe.lmz.alarms.cancelSchedule(id)?.id).toBe(id);
      expect(await probe.lmz.alarms.triggerAlarms()).toEqual([]);
      expect(probe.deliveries()).toEqual([]);
    });
  });

  it("a due row still waiting behind a running handler can be cancelled, and then never runs", async () => {
    const { stub } = freshProbe("cancel-next");
    await inProbe(stub, async (probe) => {
      probe.lmz.alarms.schedule(new Date(Date.now() - 2), probe.ctn().sleep(30));
      const { id } = probe.lmz.alarms.schedule(new Date(Date.now() - 1), probe.ctn().record($schedule, "second"));
      const run = probe.lmz.alarms.triggerAlarms();
      // While the first handler sleeps, the second is still waiting: cancelling it wins.
      expect(probe.lmz.alarms.cancelSchedule(id)?.id).toBe(id);
      expect(await run).toHaveLength(1);
      expect(probe.deliveries()).toEqual([]);
    });
  });

  it("a cancel during a cron run stops the cron after that run", async () => {
    const { stub } = freshProbe("cancel-cron");
    await inProbe(stub, async (probe, state) => {
      probe.lmz.alarms.schedule("* * * * *", probe.ctn().sleep(30), { id: "every-minute" });
      const run = probe.lmz.alarms.triggerAlarms(1);
      expect(probe.lmz.alarms.cancelSchedule("every-minute")?.type).toBe("cron");
      expect(await run).toHaveLength(1);
      expect(rowCount(state.storage.sql)).toBe(0);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("a schedule made during a run (same id or new) is kept and armed after it", async () => {
    const { stub } = freshProbe("made-during");
    await inProbe(stub, async (probe, state) => {
      probe.lmz.alarms.schedule(0, probe.ctn().sleep(30), { id: "job" });
      const run = probe.lmz.alarms.triggerAlarms();
      const again = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "job, again"), { id: "job" });
      const other = probe.lmz.alarms.schedule(120, probe.ctn().record($schedule, "other"));
      await run;
      // The finished run deleted only its own claim, not the replacement.
      expect(probe.lmz.alarms.getSchedules()).toEqual([again, other]);
      expect(await state.storage.getAlarm()).toBe(again.time);
      probe.lmz.alarms.cancelSchedule(again.id);
      probe.lmz.alarms.cancelSchedule(other.id);
    });
  });

  it("a due row still waiting behind a running handler, replaced meanwhile, runs as the replacement, never as the original", async () => {
    const { stub } = freshProbe("replace-next");
    await inProbe(stub, async (probe) => {
      probe.lmz.alarms.schedule(new Date(Date.now() - 2), probe.ctn().sleep(30));
      probe.lmz.alarms.schedule(new Date(Date.now() - 1), probe.ctn().record($schedule, "original"), { id: "next" });
      const run = probe.lmz.alarms.triggerAlarms();
      // Still waiting, so still listed, and replaceable.
      expect(probe.lmz.alarms.getSchedule("next")?.operationChain[1]).toEqual({ type: "apply", args: [{ placeholder: true }, { value: "original" }] });
      const replacement = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "replacement"), { id: "next" });
      expect(await run).toHaveLength(1);
      expect(probe.deliveries()).toEqual([]);
      expect(probe.lmz.alarms.getSchedules()).toEqual([replacement]);
      expect(await probe.lmz.alarms.triggerAlarms(1)).toEqual([replacement]);
      expect(probe.deliveries().map((delivery) => delivery.tag)).toEqual(["replacement"]);
    });
  });

  it("a schedule made while alarm() runs is not lost: the platform fires it", async () => {
    const { stub } = freshProbe("made-in-alarm");
    await inProbe(stub, async (probe) => {
      probe.lmz.alarms.schedule(0, probe.ctn().sleep(30));
      const running = probe.alarm();
      probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "made meanwhile"));
      await running;
    });
    expect(await waitForTags(stub, 1)).toEqual(["made meanwhile"]);
    expect(await storedState(stub)).toMatchObject(CLEAN);
    expect(await tagsOf(stub)).toEqual(["made meanwhile"]);
  });
});
