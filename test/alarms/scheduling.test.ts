/** schedule(), cancelSchedule(), getSchedule(s): what is stored, replaced, returned and refused. */
import { describe, expect, it } from "vitest";
import { $schedule, AlarmsError, type Schedule } from "../../lib";
import { expectCleanAfterEach, freshProbe, inProbe, rowCount } from "../harness";

expectCleanAfterEach();

const HOUR = 3_600_000;

describe("schedule", () => {
  it("returns a delayed schedule timed in epoch milliseconds from a delay in seconds", async () => {
    const { stub } = freshProbe("delayed");
    await inProbe(stub, (probe) => {
      // The clock may tick during the call (the first schedule creates the table).
      const before = Date.now();
      const schedule = probe.lmz.alarms.schedule(90, probe.ctn().record($schedule, "tea"));
      const after = Date.now();
      expect(schedule.time).toBeGreaterThanOrEqual(before + 90_000);
      expect(schedule.time).toBeLessThanOrEqual(after + 90_000);
      expect(schedule).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: "delayed",
        time: schedule.time,
        operationChain: [
          { type: "get", key: "record" },
          { type: "apply", args: [{ placeholder: true }, { value: "tea" }] },
        ],
      });
      expect(probe.lmz.alarms.getSchedule(schedule.id)).toEqual(schedule);
      probe.lmz.alarms.cancelSchedule(schedule.id);
    });
  });

  it("keeps sub-second delays to the millisecond", async () => {
    const { stub } = freshProbe("ms");
    await inProbe(stub, (probe) => {
      for (const [delay, ms] of [[0.25, 250], [0.001, 1], [1.5, 1500], [0.0104, 10]]) {
        const before = Date.now();
        const { time } = probe.lmz.alarms.schedule(delay, probe.ctn().record($schedule, "x"));
        const after = Date.now();
        expect(Number.isInteger(time)).toBe(true);
        expect(time - before).toBeGreaterThanOrEqual(ms);
        expect(time - after).toBeLessThanOrEqual(ms);
      }
      for (const schedule of probe.lmz.alarms.getSchedules()) probe.lmz.alarms.cancelSchedule(schedule.id);
    });
  });

  it("returns a scheduled schedule at the exact time of a Date", async () => {
    const { stub } = freshProbe("date");
    await inProbe(stub, (probe) => {
      const at = new Date(Date.now() + HOUR + 123);
      const schedule = probe.lmz.alarms.schedule(at, probe.ctn().record($schedule, "date"));
      expect(schedule.type).toBe("scheduled");
      expect(schedule.time).toBe(at.getTime());
      probe.lmz.alarms.cancelSchedule(schedule.id);
    });
  });

  it("returns a cron schedule timed at the next UTC occurrence", async () => {
    const { stub } = freshProbe("cron");
    await inProbe(stub, (probe) => {
      const schedule = probe.lmz.alarms.schedule("30 6 * * *", probe.ctn().record($schedule, "cron"));
      expect(schedule.type).toBe("cron");
      expect(schedule.type === "cron" && schedule.cron).toBe("30 6 * * *");
      const next = new Date(schedule.time);
      expect([next.getUTCHours(), next.getUTCMinutes(), next.getUTCSeconds(), next.getUTCMilliseconds()]).toEqual([6, 30, 0, 0]);
      expect(schedule.time).toBeGreaterThan(Date.now());
      expect(schedule.time - Date.now()).toBeLessThanOrEqual(24 * HOUR);
      probe.lmz.alarms.cancelSchedule(schedule.id);
    });
  });

  it("returns a cron schedule read in a time zone, the zone named as the runtime knows it", async () => {
    const { stub } = freshProbe("cron-tz");
    await inProbe(stub, (probe) => {
      const schedule = probe.lmz.alarms.schedule("0 9 * * *", probe.ctn().record($schedule, "tz"), { timezone: "asia/tokyo" });
      // Tokyo has no daylight saving: 09:00 there is 00:00 UTC all year.
      expect(schedule).toMatchObject({ type: "cron", cron: "0 9 * * *", timezone: "Asia/Tokyo" });
      expect(new Date(schedule.time).toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(probe.lmz.alarms.getSchedule(schedule.id)).toEqual(schedule);
      probe.lmz.alarms.cancelSchedule(schedule.id);
    });
  });

  it("returns an interval schedule due `every` seconds from now, and reads it back", async () => {
    const { stub } = freshProbe("interval");
    await inProbe(stub, (probe) => {
      const before = Date.now();
      const schedule = probe.lmz.alarms.schedule({ every: 2.5 }, probe.ctn().record($schedule, "tick"));
      expect(schedule).toMatchObject({ type: "interval", every: 2.5 });
      expect(schedule.time - before).toBeGreaterThanOrEqual(2_500);
      expect(schedule.time - Date.now()).toBeLessThanOrEqual(2_500);
      expect(probe.lmz.alarms.getSchedule(schedule.id)).toEqual(schedule);
      expect(probe.lmz.alarms.getSchedules({ type: "interval" })).toEqual([schedule]);
      probe.lmz.alarms.cancelSchedule(schedule.id);
    });
  });

  it("stores metadata through structured-clone and hands it back", async () => {
    const { stub } = freshProbe("metadata");
    await inProbe(stub, (probe) => {
      const metadata = { when: new Date(0), tags: new Map([["a", 1]]), nested: { list: [1, 2] } };
      const { id } = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "m"), { metadata });
      const stored = probe.lmz.alarms.getSchedule<typeof metadata>(id);
      expect(stored?.metadata).toEqual(metadata);
      expect(stored?.metadata?.when).toBeInstanceOf(Date);
      expect(stored?.metadata?.tags).toBeInstanceOf(Map);
      probe.lmz.alarms.cancelSchedule(id);
    });
  });

  it("replaces a schedule made again with the same id, so a schedule made on every wake does not pile up", async () => {
    const { stub } = freshProbe("same-id");
    await inProbe(stub, async (probe, state) => {
      for (const delay of [300, 200, 100]) {
        probe.lmz.alarms.schedule(delay, probe.ctn().record($schedule, `after ${delay}`), { id: "heartbeat" });
      }
      const all = probe.lmz.alarms.getSchedules();
      expect(all).toHaveLength(1);
      expect(all[0].operationChain[1]).toEqual({ type: "apply", args: [{ placeholder: true }, { value: "after 100" }] });
      expect(rowCount(state.storage.sql)).toBe(1);
      // The platform alarm follows a replacement to an earlier time.
      expect(await state.storage.getAlarm()).toBe(all[0].time);
      // Not to a later one: it fires early, finds nothing due, and is set again then.
      probe.lmz.alarms.schedule(400, probe.ctn().record($schedule, "later"), { id: "heartbeat" });
      expect(await state.storage.getAlarm()).toBe(all[0].time);
      probe.lmz.alarms.cancelSchedule("heartbeat");
    });
  });

  it("creates no table and no alarm in a Durable Object that never schedules", async () => {
    const { stub } = freshProbe("untouched");
    await inProbe(stub, async (probe, state) => {
      expect(probe.lmz.alarms.getSchedules()).toEqual([]);
      expect(probe.lmz.alarms.cancelSchedule("nothing")).toBeUndefined();
      expect(state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name LIKE '__lmz_alarms%'").toArray()).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("keeps the table WITHOUT ROWID, with an index on time", async () => {
    const { stub } = freshProbe("without-rowid");
    await inProbe(stub, (probe, state) => {
      const { id } = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "x"));
      const objects = state.storage.sql.exec<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE name LIKE '__lmz_alarms%' ORDER BY name").toArray();
      expect(objects.map((object) => object.name)).toEqual(["__lmz_alarms", "__lmz_alarms_by_time"]);
      expect(objects[0].sql).toMatch(/WITHOUT ROWID\s*$/);
      expect(objects[0].sql).toMatch(/id TEXT NOT NULL PRIMARY KEY/);
      expect(objects[1].sql).toMatch(/\(time, id\)/);
      probe.lmz.alarms.cancelSchedule(id);
    });
  });
});

describe("ifExists", () => {
  it('"keep" leaves a waiting schedule as it is and returns it (rows-written.test.ts: writing nothing)', async () => {
    const { stub } = freshProbe("keep");
    await inProbe(stub, async (probe, state) => {
      const first = probe.lmz.alarms.schedule(30, probe.ctn().record($schedule, "first"), { id: "heartbeat", ifExists: "keep" });
      const alarm = await state.storage.getAlarm();
      const again = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "again"), { id: "heartbeat", ifExists: "keep", metadata: "ignored" });
      expect(again).toEqual(first);
      expect(probe.lmz.alarms.getSchedule("heartbeat")).toEqual(first);
      expect(await state.storage.getAlarm()).toBe(alarm);
      probe.lmz.alarms.cancelSchedule("heartbeat");
    });
  });

  it('"keep" returns the waiting schedule whatever its kind, and schedules when there is none', async () => {
    const { stub } = freshProbe("keep-kind");
    await inProbe(stub, (probe) => {
      const cron = probe.lmz.alarms.schedule("0 8 * * *", probe.ctn().record($schedule, "cron"), { id: "job" });
      expect(probe.lmz.alarms.schedule({ every: 60 }, probe.ctn().record($schedule, "interval"), { id: "job", ifExists: "keep" })).toEqual(cron);
      probe.lmz.alarms.cancelSchedule("job");
      const made = probe.lmz.alarms.schedule({ every: 60 }, probe.ctn().record($schedule, "interval"), { id: "job", ifExists: "keep" });
      expect(made).toMatchObject({ id: "job", type: "interval", every: 60 });
      probe.lmz.alarms.cancelSchedule("job");
    });
  });
});

describe("cancelSchedule", () => {
  it("removes the schedule and returns it, continuation included", async () => {
    const { stub } = freshProbe("cancel");
    await inProbe(stub, async (probe, state) => {
      const made = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "never"), { metadata: { reason: "test" } });
      const cancelled = probe.lmz.alarms.cancelSchedule(made.id);
      expect(cancelled).toEqual(made);
      expect(probe.lmz.alarms.getSchedule(made.id)).toBeUndefined();
      expect(probe.lmz.alarms.cancelSchedule(made.id)).toBeUndefined();
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("returns undefined, never throws, for an id that never existed", async () => {
    const { stub } = freshProbe("cancel-unknown");
    await inProbe(stub, (probe) => {
      probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "other"), { id: "other" });
      expect(probe.lmz.alarms.cancelSchedule("no-such-id")).toBeUndefined();
      expect(probe.lmz.alarms.cancelSchedule(42 as unknown as string)).toBeUndefined();
      expect(probe.lmz.alarms.getSchedules()).toHaveLength(1);
      probe.lmz.alarms.cancelSchedule("other");
    });
  });

  it("returns undefined for a schedule that already fired", async () => {
    const { stub } = freshProbe("cancel-fired");
    await inProbe(stub, async (probe) => {
      const { id } = probe.lmz.alarms.schedule(0, probe.ctn().record($schedule, "fired"));
      const ran = await probe.lmz.alarms.triggerAlarms();
      expect(ran.map((schedule) => schedule.id)).toEqual([id]);
      expect(probe.deliveries().map((delivery) => delivery.tag)).toEqual(["fired"]);
      expect(probe.lmz.alarms.cancelSchedule(id)).toBeUndefined();
    });
  });

  it("leaves the platform alarm where it is when the first schedule is cancelled, and deletes it after the last", async () => {
    const { stub } = freshProbe("cancel-rearm");
    await inProbe(stub, async (probe, state) => {
      const first = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "first"));
      const second = probe.lmz.alarms.schedule(120, probe.ctn().record($schedule, "second"));
      expect(await state.storage.getAlarm()).toBe(first.time);
      // Moving it later would cost a storage write per cancel; it fires early instead (firing.test.ts).
      probe.lmz.alarms.cancelSchedule(first.id);
      expect(await state.storage.getAlarm()).toBe(first.time);
      expect(probe.lmz.alarms.getSchedules().map((schedule) => schedule.id)).toEqual([second.id]);
      probe.lmz.alarms.cancelSchedule(second.id);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });
});

describe("getSchedules", () => {
  it("lists in time order, filtered by type and by a time range with both ends included", async () => {
    const { stub } = freshProbe("list");
    await inProbe(stub, (probe) => {
      const now = Date.now();
      const alarms = probe.lmz.alarms;
      const a = alarms.schedule(30, probe.ctn().record($schedule, "a"), { id: "a" });
      const b = alarms.schedule(new Date(now + 10_000), probe.ctn().record($schedule, "b"), { id: "b" });
      const c = alarms.schedule(20, probe.ctn().record($schedule, "c"), { id: "c" });
      const d = alarms.schedule("0 0 1 1 *", probe.ctn().record($schedule, "d"), { id: "d" });
      const ids = (list: Schedule[]) => list.map((schedule) => schedule.id);

      expect(ids(alarms.getSchedules())).toEqual(["b", "c", "a", "d"]);
      expect(ids(alarms.getSchedules({ type: "delayed" }))).toEqual(["c", "a"]);
      expect(ids(alarms.getSchedules({ type: "cron" }))).toEqual(["d"]);
      expect(ids(alarms.getSchedules({ timeRange: { start: c.time, end: a.time } }))).toEqual(["c", "a"]);
      expect(ids(alarms.getSchedules({ timeRange: { end: new Date(b.time) } }))).toEqual(["b"]);
      expect(ids(alarms.getSchedules({ timeRange: { start: new Date(a.time + 1) } }))).toEqual(["d"]);
      expect(ids(alarms.getSchedules({ type: "scheduled", timeRange: { start: c.time } }))).toEqual([]);
      expect(() => alarms.getSchedules({ timeRange: { start: new Date("nope") } })).toThrow(AlarmsError);
      for (const schedule of [a, b, c, d]) alarms.cancelSchedule(schedule.id);
    });
  });

  it("returns undefined from getSchedule for an unknown id", async () => {
    const { stub } = freshProbe("get-unknown");
    await inProbe(stub, (probe) => {
      expect(probe.lmz.alarms.getSchedule("nope")).toBeUndefined();
    });
  });
});

describe("bad input", () => {
  const cases: [string, (probe: import("../fixtures/probe").ProbeDO) => unknown, RegExp][] = [
    ["a negative delay", (p) => p.lmz.alarms.schedule(-1, p.ctn().record($schedule, "x")), /Invalid delay -1: give a finite number of seconds, 0 or more/],
    ["a NaN delay", (p) => p.lmz.alarms.schedule(Number.NaN, p.ctn().record($schedule, "x")), /Invalid delay NaN/],
    ["an infinite delay", (p) => p.lmz.alarms.schedule(Number.POSITIVE_INFINITY, p.ctn().record($schedule, "x")), /Invalid delay Infinity/],
    ["a delay beyond the last Date", (p) => p.lmz.alarms.schedule(1e13, p.ctn().record($schedule, "x")), /ends after the last time a Date can hold/],
    ["an invalid Date", (p) => p.lmz.alarms.schedule(new Date("not a date"), p.ctn().record($schedule, "x")), /Invalid Date given to schedule\(\)/],
    ["a cron with a bad minute", (p) => p.lmz.alarms.schedule("61 * * * *", p.ctn().record($schedule, "x")), /the minute field has 61, outside 0-59/],
    ["a cron with a bad month name", (p) => p.lmz.alarms.schedule("0 0 1 FOO *", p.ctn().record($schedule, "x")), /the month field "FOO" contains illegal characters/],
    ["a cron with six fields", (p) => p.lmz.alarms.schedule("0 0 0 1 1 *", p.ctn().record($schedule, "x")), /it has 6 fields, expected 5/],
    ["a cron that never fires", (p) => p.lmz.alarms.schedule("0 0 30 2 *", p.ctn().record($schedule, "x")), /The cron expression "0 0 30 2 \*" never fires; check its day and month fields/],
    ["an unknown time zone", (p) => p.lmz.alarms.schedule("0 8 * * *", p.ctn().record($schedule, "x"), { timezone: "Europe/Atlantis" }), /Invalid timezone "Europe\/Atlantis"/],
    ["an interval of 0", (p) => p.lmz.alarms.schedule({ every: 0 }, p.ctn().record($schedule, "x")), /Invalid interval \{ every: 0 \}: give a finite number of seconds, at least 0\.001/],
    ["an interval that is not a number", (p) => p.lmz.alarms.schedule({ every: "30" as never }, p.ctn().record($schedule, "x")), /Invalid interval \{ every: 30 \}/],
    ["an unknown ifExists", (p) => p.lmz.alarms.schedule(1, p.ctn().record($schedule, "x"), { ifExists: "merge" as never }), /Invalid ifExists "merge": give "replace" \(the default\) or "keep"/],
    ["a function instead of a chain", (p) => p.lmz.alarms.schedule(1, (() => p.record(1, "x")) as never), /not an operation chain \(got a function\)\. Build it with this\.ctn\(\)/],
    ["a plain chain array instead of a chain", (p) => p.lmz.alarms.schedule(1, [{ type: "get", key: "record" }] as never), /not an operation chain \(got an array\)/],
    ["an empty id", (p) => p.lmz.alarms.schedule(1, p.ctn().record($schedule, "x"), { id: "" }), /Invalid schedule id "": give a non-empty string/],
    ["a when that is none of them", (p) => p.lmz.alarms.schedule({} as never, p.ctn().record($schedule, "x")), /Invalid "when" \(an object\): give a delay in seconds, a Date, a 5-field cron string, or \{ every: seconds \}/],
  ];

  for (const [what, act, message] of cases) {
    it(`refuses ${what} with an AlarmsError and stores nothing`, async () => {
      const { stub } = freshProbe("bad");
      await inProbe(stub, async (probe, state) => {
        let thrown: unknown;
        try {
          act(probe);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(AlarmsError);
        expect((thrown as Error).name).toBe("AlarmsError");
        expect((thrown as Error).message).toMatch(message);
        expect(rowCount(state.storage.sql)).toBe(0);
        expect(await state.storage.getAlarm()).toBeNull();
      });
    });
  }

  it("refuses an argument that cannot be stored with a DataCloneError and stores nothing", async () => {
    const { stub } = freshProbe("bad-clone");
    await inProbe(stub, async (probe, state) => {
      expect(() => probe.lmz.alarms.schedule(1, probe.ctn().record($schedule, (() => 1) as never))).toThrow(
        expect.objectContaining({ name: "DataCloneError" }),
      );
      expect(() => probe.lmz.alarms.schedule(1, probe.ctn().record($schedule, "x"), { metadata: { fn: () => 1 } })).toThrow(
        expect.objectContaining({ name: "DataCloneError" }),
      );
      expect(rowCount(state.storage.sql)).toBe(0);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("refuses a bad count in triggerAlarms", async () => {
    const { stub } = freshProbe("bad-count");
    await inProbe(stub, async (probe) => {
      await expect(probe.lmz.alarms.triggerAlarms(-1)).rejects.toThrow(/Invalid count -1 for triggerAlarms\(\)/);
      await expect(probe.lmz.alarms.triggerAlarms(1.5)).rejects.toThrow(AlarmsError);
    });
  });
});
