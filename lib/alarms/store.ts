/**
 * The alarms table and every statement run against it, all synchronous
 * (`ctx.storage.sql.exec`). The statements are exported so the tests can
 * check their query plans: each one is a primary-key or index search.
 *
 * One row per schedule, `WITHOUT ROWID` so the primary key is the table (a
 * rowid table would write every row twice: table and key index). The index
 * leads with `running` so the next-alarm and due queries skip rows being
 * run, and the constructor finds a crashed run's rows without a scan.
 */
import { LazyTable } from "../sql";

/** The table's name. `__lmz_` keeps it out of the way of the user's own tables. */
export const ALARMS_TABLE = "__lmz_alarms";

/** A row as stored. */
export interface AlarmRow extends Record<string, SqlStorageValue> {
  id: string;
  type: string;
  /** Epoch milliseconds. */
  time: number;
  cron: string | null;
  /** The operation chain, through structured-clone `stringifySync`. */
  chain: string;
  /** The metadata, likewise, or null when there is none. */
  metadata: string | null;
  /** 0 while waiting; the claim token of the run in progress otherwise. */
  running: number;
  /** Failed (or crashed) runs so far. */
  attempts: number;
}

export const SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS __lmz_alarms (
    id TEXT NOT NULL PRIMARY KEY,
    type TEXT NOT NULL,
    time INTEGER NOT NULL,
    cron TEXT,
    chain TEXT NOT NULL,
    metadata TEXT,
    running INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID`,
  createIndex: `CREATE INDEX IF NOT EXISTS __lmz_alarms_by_time ON __lmz_alarms (running, time, id)`,
  // Names its columns: a table made while it still had a `result` column (dropped since) takes it too.
  upsert: `INSERT OR REPLACE INTO __lmz_alarms (id, type, time, cron, chain, metadata, running, attempts) VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
  get: `SELECT * FROM __lmz_alarms WHERE id = ?`,
  /** A one-shot being run has fired: only the run decides its fate. A cron being run can be stopped. */
  cancel: `DELETE FROM __lmz_alarms WHERE id = ? AND (running = 0 OR type = 'cron') RETURNING *`,
  nextTime: `SELECT time FROM __lmz_alarms WHERE running = 0 ORDER BY time, id LIMIT 1`,
  anyRunning: `SELECT 1 FROM __lmz_alarms WHERE running > 0 LIMIT 1`,
  due: `SELECT id, time FROM __lmz_alarms WHERE running = 0 AND time <= ? ORDER BY time, id`,
  first: `SELECT id, time FROM __lmz_alarms WHERE running = 0 ORDER BY time, id LIMIT ?`,
  claim: `UPDATE __lmz_alarms SET running = ? WHERE id = ? AND running = 0 AND time <= ? RETURNING *`,
  /** Only the run holding the claim may finish or re-arm the row: a replacement made meanwhile survives. */
  finish: `DELETE FROM __lmz_alarms WHERE id = ? AND running = ?`,
  rearm: `UPDATE __lmz_alarms SET time = ?, attempts = ?, running = 0 WHERE id = ? AND running = ?`,
  resetClaims: `UPDATE __lmz_alarms SET running = 0, attempts = attempts + 1 WHERE running > 0`,
  list: `SELECT * FROM __lmz_alarms WHERE running = 0 AND time >= ? AND time <= ? ORDER BY time, id`,
  listRunningCron: `SELECT * FROM __lmz_alarms WHERE running > 0 AND type = 'cron'`,
} as const;

/**
 * Synchronous access to the alarms table. Until the first schedule the table
 * does not exist and nothing is written; after `deleteAll()` it is made again.
 */
export class AlarmTable {
  readonly #table: LazyTable;

  /** @param created called when the table had to be made (again): the platform alarm is then unknown. */
  constructor(sql: SqlStorage, created: () => void) {
    this.#table = new LazyTable(sql, ALARMS_TABLE, [SQL.createTable, SQL.createIndex], created);
  }

  /** Whether any schedule was ever made here (and not wiped since). */
  get exists(): boolean {
    return this.#table.exists;
  }

  upsert(row: Pick<AlarmRow, "id" | "type" | "time" | "cron" | "chain" | "metadata">): void {
    this.#table.write(SQL.upsert, row.id, row.type, row.time, row.cron, row.chain, row.metadata);
  }

  get(id: string): AlarmRow | undefined {
    return this.#table.query<AlarmRow>(SQL.get, id).rows[0];
  }

  cancel(id: string): AlarmRow | undefined {
    return this.#table.query<AlarmRow>(SQL.cancel, id).rows[0];
  }

  /** The earliest time of all rows not being run, overdue ones included. */
  nextTime(): number | undefined {
    return this.#table.query<{ time: number }>(SQL.nextTime).rows[0]?.time;
  }

  anyRunning(): boolean {
    return this.#table.query(SQL.anyRunning).rows.length > 0;
  }

  due(now: number): { id: string; time: number }[] {
    return this.#table.query<{ id: string; time: number }>(SQL.due, now).rows;
  }

  first(count: number): { id: string; time: number }[] {
    return this.#table.query<{ id: string; time: number }>(SQL.first, count).rows;
  }

  /** Marks the row as being run by `token`, if it is still waiting and due by `notAfter`. */
  claim(id: string, token: number, notAfter: number): AlarmRow | undefined {
    return this.#table.query<AlarmRow>(SQL.claim, token, id, notAfter).rows[0];
  }

  finish(id: string, token: number): void {
    this.#table.query(SQL.finish, id, token);
  }

  rearm(id: string, token: number, time: number, attempts: number): void {
    this.#table.query(SQL.rearm, time, attempts, id, token);
  }

  /** Puts rows a crashed instance was running back in line; returns how many. */
  resetClaims(): number {
    return this.#table.query(SQL.resetClaims).rowsWritten;
  }

  list(start: number, end: number): AlarmRow[] {
    const rows = this.#table.query<AlarmRow>(SQL.list, start, end).rows;
    const running = this.#table.query<AlarmRow>(SQL.listRunningCron).rows.filter((row) => row.time >= start && row.time <= end);
    if (running.length === 0) return rows;
    return [...rows, ...running].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
