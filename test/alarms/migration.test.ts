/**
 * An object whose alarms table was made by an older Lumenize (schema version
 * 1, written out by hand below) keeps its schedules when the new code starts
 * on it: the table is migrated in the constructor, and every row fires.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { $schedule, getOperationChain, stringifySync, type Schedule } from "../../lib";
import { CLEAN, expectCleanAfterEach, freshProbe, inProbe, storedState } from "../harness";
import { tagsOf } from "./harness";

expectCleanAfterEach();

/** The alarms table as version 1 made it: claims in `running`, and the `result` column older tables still had. */
const VERSION_1 = [
  `CREATE TABLE __lmz_alarms (
    id TEXT NOT NULL PRIMARY KEY,
    type TEXT NOT NULL,
    time INTEGER NOT NULL,
    cron TEXT,
    chain TEXT NOT NULL,
    metadata TEXT,
    result TEXT,
    running INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID`,
  `CREATE INDEX __lmz_alarms_by_time ON __lmz_alarms (running, time, id)`,
];
const INSERT_1 = `INSERT INTO __lmz_alarms (id, type, time, cron, chain, metadata, result, running, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

describe("an alarms table made by schema version 1", () => {
  it("is migrated when the object starts, and every schedule in it survives and fires", async () => {
    const { name, stub: before } = freshProbe("schema-1");
    const made = await inProbe(before, (probe, state) => {
      const sql = state.storage.sql;
      for (const statement of VERSION_1) sql.exec(statement);
      const chain = (tag: string) => stringifySync(getOperationChain(probe.ctn().record($schedule, tag)));
      const now = Date.now();
      sql.exec(INSERT_1, "delayed", "delayed", now - 3_000, null, chain("delayed"), stringifySync({ n: 1 }), null, 0, 0);
      sql.exec(INSERT_1, "dated", "scheduled", now - 2_000, null, chain("dated"), null, "a result from before pending outcomes", 0, 0);
      // A cron occurrence that is due, and a run a version-1 instance died in.
      sql.exec(INSERT_1, "cron", "cron", now - 1_000, "*/10 * * * *", chain("cron"), null, null, 0, 0);
      sql.exec(INSERT_1, "crashed", "delayed", now - 500, null, chain("crashed"), null, null, 7, 1);
      return now;
    });
    // A new instance, running this code, on the old table.
    await abortAllDurableObjects();
    const stub = env.PROBE.getByName(name);
    const migrated = await inProbe(stub, (probe, state) => {
      const sql = state.storage.sql;
      return {
        columns: sql
          .exec<{ name: string }>("SELECT name FROM pragma_table_info('__lmz_alarms')")
          .toArray()
          .map((row) => row.name),
        index: sql.exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = '__lmz_alarms_by_time'").one().sql,
        version: sql.exec("SELECT version FROM __lmz_schema WHERE name = '__lmz_alarms'").one().version,
        attempts: Object.fromEntries(sql.exec<{ id: string; attempts: number }>("SELECT id, attempts FROM __lmz_alarms").toArray().map((row) => [row.id, row.attempts])),
        schedules: probe.lmz.alarms.getSchedules().map((schedule: Schedule) => ({ id: schedule.id, type: schedule.type, metadata: schedule.metadata })),
      };
    });
    expect(migrated.columns).toEqual(["id", "type", "time", "cron", "chain", "metadata", "attempts", "timezone", "every"]);
    expect(migrated.index).toMatch(/\(time, id\)$/);
    expect(migrated.version).toBe(2);
    // The crashed run counts one more attempt, as version 1's own constructor would have counted it.
    expect(migrated.attempts).toEqual({ delayed: 0, dated: 0, cron: 0, crashed: 2 });
    expect(migrated.schedules).toEqual([
      { id: "delayed", type: "delayed", metadata: { n: 1 } },
      { id: "dated", type: "scheduled", metadata: undefined },
      { id: "cron", type: "cron", metadata: undefined },
      { id: "crashed", type: "delayed", metadata: undefined },
    ]);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await tagsOf(stub)).toEqual(["delayed", "dated", "cron", "crashed"]);
    // The cron schedule went on to its next occurrence; the one-shots are gone.
    const next = await inProbe(stub, (probe) => probe.lmz.alarms.getSchedules());
    expect(next.map((schedule) => schedule.id)).toEqual(["cron"]);
    expect(next[0].time).toBeGreaterThan(made);
    expect(new Date(next[0].time).getUTCMinutes() % 10).toBe(0);
    await inProbe(stub, (probe) => probe.lmz.alarms.cancelSchedule("cron"));
    expect(await storedState(stub)).toMatchObject(CLEAN);
  });

  it("migrates a version-1 table that never had the result column too", async () => {
    const { name, stub: before } = freshProbe("schema-1-no-result");
    await inProbe(before, (probe, state) => {
      const sql = state.storage.sql;
      sql.exec(VERSION_1[0].replace("result TEXT,\n", ""));
      sql.exec(VERSION_1[1]);
      const chain = stringifySync(getOperationChain(probe.ctn().record($schedule, "kept")));
      sql.exec("INSERT INTO __lmz_alarms (id, type, time, chain) VALUES ('kept', 'delayed', ?, ?)", Date.now() + 60_000, chain);
    });
    await abortAllDurableObjects();
    const stub = env.PROBE.getByName(name);
    const ran = await inProbe(stub, async (probe) => (await probe.lmz.alarms.triggerAlarms(1)).map((schedule) => schedule.id));
    expect(ran).toEqual(["kept"]);
    expect(await tagsOf(stub)).toEqual(["kept"]);
  });
});
