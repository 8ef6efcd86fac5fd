/**
 * 10,000 schedules in one Durable Object: every hot statement is an index
 * or primary-key search, and all of them fire, none lost, none twice.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $schedule } from "../../lib";
import { finishStatement, MAX_IDS, SQL } from "../../lib/alarms/store";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";

expectCleanAfterEach();

const COUNT = 10_000;

describe("10,000 schedules", () => {
  it("uses an index or the primary key for every statement that runs per schedule, per cancel and per alarm", async () => {
    const { stub } = freshProbe("plans");
    await inProbe(stub, (probe, state) => {
      const { id } = probe.lmz.alarms.schedule(60, probe.ctn().record($schedule, "x"));
      const hot = {
        get: SQL.get,
        cancel: SQL.cancel,
        nextTime: SQL.nextTime,
        page: SQL.page,
        finish: finishStatement(MAX_IDS),
        delete: SQL.delete,
        rearm: SQL.rearm,
        charge: SQL.charge,
        list: SQL.list,
      };
      const plans = Object.fromEntries(
        Object.entries(hot).map(([name, sql]) => {
          const params = (sql.match(/\?/g) ?? []).map((_: string, index: number) => (sql.includes("json_each") && index === 0 ? "[]" : 1));
          const details = state.storage.sql
            .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)
            .toArray()
            .map((row) => row.detail);
          return [name, details];
        }),
      );
      for (const [name, details] of Object.entries(plans)) {
        // A list of ids is bound as JSON and read through json_each: scanning that list is the point.
        const onTable = details.filter((detail) => !/json_each|LIST SUBQUERY/.test(detail));
        expect(onTable, name).toHaveLength(1);
        if (name === "nextTime") {
          // The first rows in the index's own order, cut off by LIMIT.
          expect(onTable[0], name).toBe("SCAN __lmz_alarms USING COVERING INDEX __lmz_alarms_by_time");
        } else {
          expect(onTable[0], name).toMatch(/^SEARCH __lmz_alarms USING (COVERING INDEX __lmz_alarms_by_time|INDEX __lmz_alarms_by_time|PRIMARY KEY) \(/);
          expect(details.join(" | "), name).not.toMatch(/SCAN __lmz_alarms/);
        }
        expect(details.join(" | "), name).not.toMatch(/TEMP B-TREE/);
      }
      probe.lmz.alarms.cancelSchedule(id);
    });
  });

  it("schedules 10,000, cancels 100, and fires the rest once each, in time order", async () => {
    const { stub } = freshProbe("ten-thousand");
    const made = await inProbe(stub, async (probe, state) => {
      const base = Date.now() + 3_600_000;
      const started = Date.now();
      // Shuffled times, so order comes from the index, not from insertion.
      for (let i = 0; i < COUNT; i++) {
        const slot = (i * 7_919) % COUNT;
        probe.lmz.alarms.schedule(new Date(base + slot), probe.ctn().record($schedule, `s${slot}`), { id: `id-${slot}` });
      }
      for (let slot = 0; slot < COUNT; slot += 100) expect(probe.lmz.alarms.cancelSchedule(`id-${slot}`)?.id).toBe(`id-${slot}`);
      const elapsed = Date.now() - started;
      // Set for the earliest, base + 0, and not moved later when it was cancelled: a write saved per cancel.
      expect(await state.storage.getAlarm()).toBe(base);
      // As if the hour had passed: every row is overdue, the platform alarm still an hour away.
      state.storage.sql.exec("UPDATE __lmz_alarms SET time = time - 7200000");
      return { elapsed };
    });
    expect(made.elapsed).toBeLessThan(10_000);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const tags = await inProbe(stub, (probe) => probe.deliveries().map((delivery) => delivery.tag));
    const expected = Array.from({ length: COUNT }, (_, slot) => slot)
      .filter((slot) => slot % 100 !== 0)
      .map((slot) => `s${slot}`);
    expect(tags.length).toBe(COUNT - 100);
    expect(new Set(tags).size).toBe(COUNT - 100);
    expect(tags).toEqual(expected);
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("fires 10,000 through triggerAlarms(count), none twice", async () => {
    const { stub } = freshProbe("ten-thousand-trigger");
    await inProbe(stub, async (probe, state) => {
      // An hour ahead, so the real platform alarm stays out of it.
      for (let i = 0; i < COUNT; i++) probe.lmz.alarms.schedule(3_600, probe.ctn().record($schedule, `t${i}`));
      const ran = await probe.lmz.alarms.triggerAlarms(COUNT);
      expect(ran).toHaveLength(COUNT);
      const tags = probe.deliveries().map((delivery) => delivery.tag);
      expect(new Set(tags).size).toBe(COUNT);
      expect(tags).toHaveLength(COUNT);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM __lmz_alarms").one().n).toBe(0);
    });
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });
});
