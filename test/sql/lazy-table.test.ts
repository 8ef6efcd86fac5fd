/**
 * Lumenize's own tables: created on the first write, migrated to the code's
 * schema version when an object starts, in one transaction, and refused
 * with a clear Error when storage is newer than the code.
 */
import { describe, expect, it } from "vitest";
import { LazyTable, type TableSchema } from "../../lib/sql";
import { freshProbe, inProbe } from "../harness";

const NAME = "__lmz_test_notes";
const CREATE_1 = `CREATE TABLE IF NOT EXISTS ${NAME} (id TEXT NOT NULL PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID`;

function columnsOf(sql: SqlStorage): string[] {
  return sql
    .exec<{ name: string }>(`SELECT name FROM pragma_table_info('${NAME}')`)
    .toArray()
    .map((row) => row.name);
}

describe("a versioned table", () => {
  it("is made at the current version on the first write, and records it", async () => {
    const { stub } = freshProbe("sql-create");
    await inProbe(stub, (_probe, state) => {
      const table = new LazyTable(state.storage, { name: NAME, version: 2, create: [CREATE_1.replace("text TEXT NOT NULL", "text TEXT NOT NULL, tag TEXT")] });
      expect(table.exists).toBe(false);
      table.write(`INSERT INTO ${NAME} (id, text, tag) VALUES ('a', 'x', 't')`);
      expect(columnsOf(state.storage.sql)).toEqual(["id", "text", "tag"]);
      expect(state.storage.sql.exec("SELECT version FROM __lmz_schema WHERE name = ?", NAME).one().version).toBe(2);
      state.storage.sql.exec(`DROP TABLE ${NAME}`);
    });
  });

  it("is migrated step by step from the version it was made at, keeping its rows", async () => {
    const { stub } = freshProbe("sql-migrate");
    await inProbe(stub, (_probe, state) => {
      const sql = state.storage.sql;
      // Made by version 1 code: no version row.
      sql.exec(CREATE_1);
      sql.exec(`INSERT INTO ${NAME} (id, text) VALUES ('a', 'kept')`);
      const schema: TableSchema = {
        name: NAME,
        version: 3,
        create: [],
        migrations: {
          1: (s) => s.exec(`ALTER TABLE ${NAME} ADD COLUMN tag TEXT`),
          2: (s) => s.exec(`UPDATE ${NAME} SET tag = 'from 2'`),
        },
      };
      const table = new LazyTable(state.storage, schema);
      expect(table.query(`SELECT * FROM ${NAME}`).rows).toEqual([{ id: "a", text: "kept", tag: "from 2" }]);
      expect(sql.exec("SELECT version FROM __lmz_schema WHERE name = ?", NAME).one().version).toBe(3);
      // At its version, nothing runs again.
      new LazyTable(state.storage, { ...schema, migrations: { 1: () => expect.unreachable(), 2: () => expect.unreachable() } });
      sql.exec(`DROP TABLE ${NAME}`);
    });
  });

  it("is left as it was when a migration step throws", async () => {
    const { stub } = freshProbe("sql-rollback");
    await inProbe(stub, (_probe, state) => {
      const sql = state.storage.sql;
      sql.exec(CREATE_1);
      const failing: TableSchema = {
        name: NAME,
        version: 2,
        create: [],
        migrations: {
          1: (s) => {
            s.exec(`ALTER TABLE ${NAME} ADD COLUMN tag TEXT`);
            throw new Error("step failed halfway");
          },
        },
      };
      expect(() => new LazyTable(state.storage, failing)).toThrow("step failed halfway");
      expect(columnsOf(sql)).toEqual(["id", "text"]);
      expect(sql.exec("SELECT 1 FROM sqlite_master WHERE name = '__lmz_schema'").toArray()).toEqual([]);
      sql.exec(`DROP TABLE ${NAME}`);
    });
  });

  it("refuses, naming both versions, storage made by a newer version than the code", async () => {
    const { stub } = freshProbe("sql-newer");
    await inProbe(stub, (_probe, state) => {
      const sql = state.storage.sql;
      sql.exec(CREATE_1);
      sql.exec("CREATE TABLE __lmz_schema (name TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID");
      sql.exec("INSERT INTO __lmz_schema (name, version) VALUES (?, 3)", NAME);
      expect(() => new LazyTable(state.storage, { name: NAME, version: 2, create: [CREATE_1] })).toThrow(
        `Lumenize's table ${NAME} is at schema version 3, newer than the version 2 this code knows: a newer Lumenize ran on this Durable Object, then an older one was deployed. Deploy the newer version again.`,
      );
      sql.exec(`DROP TABLE ${NAME}`);
      sql.exec("DROP TABLE __lmz_schema");
    });
  });
});
