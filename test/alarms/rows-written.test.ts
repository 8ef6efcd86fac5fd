/**
 * What alarms writes, counted: the rows each call writes (SQLite's own
 * `rowsWritten`, summed over every statement alarms runs; this is what the
 * platform bills) and the platform alarms it sets. The "Alarms" page states
 * these numbers.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $schedule, placeholder } from "../../lib";
import { expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";

expectCleanAfterEach();

/** Counts, while `work` runs, the rows written by every statement and the platform alarm writes. */
async function writesOf(storage: DurableObjectStorage, work: () => unknown): Promise<{ rows: number; alarmWrites: number }> {
  const sql = storage.sql;
  const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  let alarmWrites = 0;
  const { exec } = sql;
  const { setAlarm, deleteAlarm } = storage;
  // Observes, changes nothing: each call goes to the real method.
  sql.exec = ((...args: Parameters<SqlStorage["exec"]>) => {
    const cursor = exec.apply(sql, args);
    cursors.push(cursor);
    return cursor;
  }) as SqlStorage["exec"];
  storage.setAlarm = (...args: Parameters<DurableObjectStorage["setAlarm"]>) => (alarmWrites++, setAlarm.apply(storage, args));
  storage.deleteAlarm = (...args: Parameters<DurableObjectStorage["deleteAlarm"]>) => (alarmWrites++, deleteAlarm.apply(storage, args));
  try {
    await work();
  } finally {
    sql.exec = exec;
    storage.setAlarm = setAlarm;
    storage.deleteAlarm = deleteAlarm;
  }
  // Every cursor was read to its end by then, so its count is final.
  return { rows: cursors.reduce((sum, cursor) => sum + cursor.rowsWritten, 0), alarmWrites };
}

describe("rows written", () => {
  it("per schedule: 2 to make one (row and index), 2 to replace it, 0 to keep it, 1 to cancel it", async () => {
    const { stub } = freshProbe("rows-schedule");
    await inProbe(stub, async (probe, state) => {
      const alarms = probe.lmz.alarms;
      const chain = () => probe.ctn().record($schedule, "x");
      // The first schedule also creates the table and records its schema version.
      alarms.cancelSchedule(alarms.schedule(60, chain()).id);
      expect(await writesOf(state.storage, () => alarms.schedule(60, chain(), { id: "a" }))).toEqual({ rows: 2, alarmWrites: 1 });
      expect(await writesOf(state.storage, () => alarms.schedule(30, chain(), { id: "a" }))).toEqual({ rows: 2, alarmWrites: 1 });
      // Later than the alarm already set: the alarm stays.
      expect(await writesOf(state.storage, () => alarms.schedule(90, chain(), { id: "a" }))).toEqual({ rows: 2, alarmWrites: 0 });
      expect(await writesOf(state.storage, () => alarms.schedule(10, chain(), { id: "a", ifExists: "keep" }))).toEqual({ rows: 0, alarmWrites: 0 });
      alarms.schedule(120, chain(), { id: "b" });
      // The earliest goes, and the alarm stays where it was.
      expect(await writesOf(state.storage, () => alarms.cancelSchedule("a"))).toEqual({ rows: 1, alarmWrites: 0 });
      // The last goes: the alarm is deleted.
      expect(await writesOf(state.storage, () => alarms.cancelSchedule("b"))).toEqual({ rows: 1, alarmWrites: 1 });
    });
  });

  it("per firing of one-shots: 1 each (its delete), plus 2 per pass and 1 per group of up to 100", async () => {
    const { stub } = freshProbe("rows-fire");
    await inProbe(stub, async (probe, state) => {
      const alarms = probe.lmz.alarms;
      // The first firing also creates the claims table.
      alarms.schedule(0, probe.ctn().record($schedule, "x"));
      await alarms.triggerAlarms();
      probe.deliveries().length = 0;
      const written: Record<number, number> = {};
      for (const count of [1, 100, 1_000]) {
        for (let i = 0; i < count; i++) alarms.schedule(0, probe.ctn().record($schedule, "x"));
        const { rows } = await writesOf(state.storage, () => alarms.triggerAlarms());
        written[count] = rows;
        expect(probe.deliveries()).toHaveLength(count);
        probe.deliveries().length = 0;
      }
      // n deletes, a claim row per group (written, then replaced by the next group's), and the pass's release.
      expect(written).toEqual({ 1: 1 + 1 + 1, 100: 100 + 1 + 1, 1_000: 1_000 + 10 + 1 });
    });
  });

  it("sets no platform alarm after the platform alarm's own pass left nothing to wait for, and one when something is left", async () => {
    const { stub } = freshProbe("rows-alarm");
    // Counted from inside the object while the real platform alarm fires it from outside.
    const firedByThePlatform = async () => {
      let stop!: () => void;
      let counted!: Promise<{ rows: number; alarmWrites: number }>;
      await inProbe(stub, (_probe, state) => {
        counted = writesOf(state.storage, () => new Promise<void>((resolve) => (stop = resolve)));
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      stop();
      // runDurableObjectAlarm deletes the alarm it fires, as the platform does: that delete is not alarms'.
      const { rows, alarmWrites } = await counted;
      return { rows, alarmWrites: alarmWrites - 1 };
    };
    // Made an hour ahead, then made due, so the platform alarm fires only when the test fires it.
    const due = (tag: string) =>
      inProbe(stub, (probe, state) => {
        const { id } = probe.lmz.alarms.schedule(3_600, probe.ctn().record($schedule, tag));
        state.storage.sql.exec("UPDATE __lmz_alarms SET time = time - 3600000 WHERE id = ?", id);
      });
    await due("first");
    // The first pass also creates the claims table.
    await firedByThePlatform();
    await due("empties");
    expect(await firedByThePlatform()).toEqual({ rows: 1 + 1 + 1, alarmWrites: 0 });
    const later = await inProbe(stub, (probe) => probe.lmz.alarms.schedule(7_200, probe.ctn().record($schedule, "later")));
    await due("now");
    expect(await firedByThePlatform()).toEqual({ rows: 1 + 1 + 1, alarmWrites: 1 });
    expect((await storedState(stub)).alarm).toBe(later.time);
    await inProbe(stub, (probe) => probe.lmz.alarms.cancelSchedule(later.id));
  });

  it("per firing of a recurring schedule: 2 to move it to its next occurrence (row and index), plus the pass's 2", async () => {
    const { stub } = freshProbe("rows-recurring");
    await inProbe(stub, async (probe, state) => {
      const alarms = probe.lmz.alarms;
      alarms.schedule({ every: 60 }, probe.ctn().record($schedule, "tick"), { id: "tick" });
      await alarms.triggerAlarms(1);
      expect(await writesOf(state.storage, () => alarms.triggerAlarms(1))).toEqual({ rows: 2 + 1 + 1, alarmWrites: 1 });
      alarms.cancelSchedule("tick");
    });
  });

  it("per pending outcome: 2 to expect it, 1 to settle it", async () => {
    const { stub } = freshProbe("rows-outcome");
    await inProbe(stub, async (probe, state) => {
      const alarms = probe.lmz.alarms;
      const chain = () => probe.ctn().record(placeholder<string>(), "paid");
      // The first creates the table.
      const first = alarms.expect(chain(), { deadline: Date.now() + 60_000 });
      await alarms.settle(first.id, first.token, "ok");
      let pending = first;
      expect(await writesOf(state.storage, () => (pending = alarms.expect(chain(), { deadline: Date.now() + 60_000 })))).toEqual({ rows: 2, alarmWrites: 1 });
      expect(await writesOf(state.storage, () => alarms.settle(pending.id, pending.token, "ok"))).toEqual({ rows: 1, alarmWrites: 1 });
    });
  });
});
