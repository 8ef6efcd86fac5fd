/**
 * The tables of alarms and every statement run against them, all
 * synchronous (`ctx.storage.sql.exec`). The statements are exported so the
 * tests can check their query plans: each one is a primary-key or index
 * search.
 *
 * - `__lmz_alarms`: one row per schedule, `WITHOUT ROWID` so the primary key
 *   is the table (a rowid table would write every row to a third B-tree).
 *   The `(time, id)` index serves the next-alarm, due and listing queries.
 * - `__lmz_alarms_claims`: one row per firing pass in progress, listing the
 *   schedules it is running, so that after a crash the next instance knows
 *   which ones the dead instance was running (see `Alarms`).
 * - `__lmz_dead_letters`: the last {@link DEAD_LETTER_LIMIT} handlers given up on.
 *
 * Schema versions (see `lib/sql`): `__lmz_alarms` is at version 2.
 * - 1: a `running` column held each run's claim token, with the index on
 *   `(running, time, id)`; tables made before pending outcomes moved out
 *   also have a `result` column.
 * - 2: claims moved to `__lmz_alarms_claims`, so a firing writes one row,
 *   not three; `timezone` (cron) and `every` (interval) added; `running` and
 *   `result` dropped.
 */
import { LazyTable, type TableSchema } from "../sql";

/** The table's name. `__lmz_` keeps it out of the way of the user's own tables. */
export const ALARMS_TABLE = "__lmz_alarms";
export const CLAIMS_TABLE = "__lmz_alarms_claims";
export const DEAD_LETTERS_TABLE = "__lmz_dead_letters";
/** How many dead letters are kept: older ones give way. */
export const DEAD_LETTER_LIMIT = 100;

const T = ALARMS_TABLE;

/** A row as stored. */
export interface AlarmRow extends Record<string, SqlStorageValue> {
  id: string;
  type: string;
  /** Epoch milliseconds. */
  time: number;
  cron: string | null;
  /** A cron expression's IANA time zone; null for UTC. */
  timezone: string | null;
  /** An interval's period, in milliseconds. */
  every: number | null;
  /** The operation chain, through structured-clone `stringifySync`. */
  chain: string;
  /** The metadata, likewise, or null when there is none. */
  metadata: string | null;
  /** Failed (or crashed) runs so far. */
  attempts: number;
}

/** A dead letter as stored. */
export interface DeadLetterRow extends Record<string, SqlStorageValue> {
  seq: number;
  kind: string;
  id: string;
  type: string | null;
  time: number;
  dropped_at: number;
  attempts: number;
  chain: string;
  metadata: string | null;
  error_name: string;
  error_message: string;
}

/** The columns a schedule is written with. */
export type NewRow = Pick<AlarmRow, "id" | "type" | "time" | "cron" | "timezone" | "every" | "chain" | "metadata">;

const COLUMNS = "id, type, time, cron, timezone, every, chain, metadata, attempts";
const VALUES = "?, ?, ?, ?, ?, ?, ?, ?, 0";
/** The most ids one statement binds: the platform allows 100 parameters a statement. */
export const MAX_IDS = 100;

export const SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS ${T} (
    id TEXT NOT NULL PRIMARY KEY,
    type TEXT NOT NULL,
    time INTEGER NOT NULL,
    cron TEXT,
    timezone TEXT,
    every INTEGER,
    chain TEXT NOT NULL,
    metadata TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID`,
  createIndex: `CREATE INDEX IF NOT EXISTS ${T}_by_time ON ${T} (time, id)`,
  upsert: `INSERT OR REPLACE INTO ${T} (${COLUMNS}) VALUES (${VALUES})`,
  /** `ifExists: "keep"`: writes nothing when the id is taken. */
  insertNew: `INSERT INTO ${T} (${COLUMNS}) VALUES (${VALUES}) ON CONFLICT (id) DO NOTHING`,
  get: `SELECT * FROM ${T} WHERE id = ?`,
  cancel: `DELETE FROM ${T} WHERE id = ? RETURNING *`,
  nextTime: `SELECT time FROM ${T} ORDER BY time, id LIMIT 1`,
  /** The next rows due by a time, after a (time, id) key, in the index's order: a firing pass reads them a page at a time. */
  page: `SELECT ${COLUMNS} FROM ${T} WHERE (time, id) > (?, ?) AND time <= ? ORDER BY time, id LIMIT ?`,
  delete: `DELETE FROM ${T} WHERE id = ?`,
  rearm: `UPDATE ${T} SET time = ?, attempts = ? WHERE id = ?`,
  /** After a crash: each schedule the dead instance was running counts one attempt. */
  charge: `UPDATE ${T} SET attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))`,
  list: `SELECT * FROM ${T} WHERE time >= ? AND time <= ? ORDER BY time, id`,
} as const;

/** The one-shots a group ran, `count` of them, in one statement. */
export function finishStatement(count: number): string {
  return (FINISH[count] ??= `DELETE FROM ${T} WHERE id IN (${Array(count).fill("?").join(", ")})`);
}
const FINISH: string[] = [];

export const CLAIMS_SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS ${CLAIMS_TABLE} (pass INTEGER NOT NULL PRIMARY KEY, ids TEXT NOT NULL)`,
  set: `INSERT OR REPLACE INTO ${CLAIMS_TABLE} (pass, ids) VALUES (?, ?)`,
  clear: `DELETE FROM ${CLAIMS_TABLE} WHERE pass = ?`,
  takeAll: `DELETE FROM ${CLAIMS_TABLE} RETURNING ids`,
} as const;

export const DEAD_LETTERS_SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS ${DEAD_LETTERS_TABLE} (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    type TEXT,
    time INTEGER NOT NULL,
    dropped_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    chain TEXT NOT NULL,
    metadata TEXT,
    error_name TEXT NOT NULL,
    error_message TEXT NOT NULL
  )`,
  insert: `INSERT INTO ${DEAD_LETTERS_TABLE} (kind, id, type, time, dropped_at, attempts, chain, metadata, error_name, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  trim: `DELETE FROM ${DEAD_LETTERS_TABLE} WHERE seq <= ?`,
  list: `SELECT * FROM ${DEAD_LETTERS_TABLE} ORDER BY seq`,
  clear: `DELETE FROM ${DEAD_LETTERS_TABLE}`,
} as const;

/**
 * Version 1 to 2. Looks at the columns rather than trusting the version
 * alone, so it also repairs a table whose version row went missing.
 */
function toVersion2(sql: SqlStorage): void {
  const columns = new Set(
    sql
      .exec<{ name: string }>(`SELECT name FROM pragma_table_info('${T}')`)
      .toArray()
      .map((row) => row.name),
  );
  // A version-1 instance that stopped mid-run left its claims here: count each as an attempt, as its own constructor would have.
  if (columns.has("running")) sql.exec(`UPDATE ${T} SET attempts = attempts + 1 WHERE running > 0`);
  // The old index names `running`, which cannot be dropped while indexed.
  sql.exec(`DROP INDEX IF EXISTS ${T}_by_time`);
  for (const gone of ["running", "result"]) if (columns.has(gone)) sql.exec(`ALTER TABLE ${T} DROP COLUMN ${gone}`);
  for (const [column, type] of [["timezone", "TEXT"], ["every", "INTEGER"]]) if (!columns.has(column)) sql.exec(`ALTER TABLE ${T} ADD COLUMN ${column} ${type}`);
  sql.exec(SQL.createIndex);
}

export const ALARMS_SCHEMA: TableSchema = { name: T, version: 2, create: [SQL.createTable, SQL.createIndex], migrations: { 1: toVersion2 } };

/** A schedule's id and time, as the firing loop lists them. */
export interface Due {
  readonly id: string;
  readonly time: number;
}

/**
 * Synchronous access to the alarms tables. Until the first schedule the
 * table does not exist and nothing is written; after `deleteAll()` it is
 * made again.
 */
export class AlarmTable {
  readonly #storage: DurableObjectStorage;
  readonly #table: LazyTable;
  // Looked up on first use: an object that never fires a schedule or drops one never asks for them.
  #claimsTable: LazyTable | undefined;
  #deadLettersTable: LazyTable | undefined;

  /** @param created called when the table had to be made (again): the platform alarm is then unknown. */
  constructor(storage: DurableObjectStorage, created: () => void) {
    this.#storage = storage;
    this.#table = new LazyTable(storage, ALARMS_SCHEMA, created);
  }

  get #claims(): LazyTable {
    return (this.#claimsTable ??= new LazyTable(this.#storage, { name: CLAIMS_TABLE, version: 1, create: [CLAIMS_SQL.createTable] }));
  }

  get #deadLetters(): LazyTable {
    return (this.#deadLettersTable ??= new LazyTable(this.#storage, { name: DEAD_LETTERS_TABLE, version: 1, create: [DEAD_LETTERS_SQL.createTable] }));
  }

  /** Whether any schedule was ever made here (and not wiped since). */
  get exists(): boolean {
    return this.#table.exists;
  }

  upsert(row: NewRow): void {
    this.#table.write(SQL.upsert, row.id, row.type, row.time, row.cron, row.timezone, row.every, row.chain, row.metadata);
  }

  /** Inserts the row unless its id is taken; returns whether it did. */
  insertNew(row: NewRow): boolean {
    return this.#table.write(SQL.insertNew, row.id, row.type, row.time, row.cron, row.timezone, row.every, row.chain, row.metadata).rowsWritten > 0;
  }

  get(id: string): AlarmRow | undefined {
    return this.#table.query<AlarmRow>(SQL.get, id).rows[0];
  }

  cancel(id: string): AlarmRow | undefined {
    return this.#table.query<AlarmRow>(SQL.cancel, id).rows[0];
  }

  /** The earliest time of all rows, overdue ones included. */
  nextTime(): number | undefined {
    return this.#table.query<{ time: number }>(SQL.nextTime).rows[0]?.time;
  }

  /** Up to `limit` rows due by `notAfter` that come after `after` in (time, id) order, in that order. */
  page(after: Due, notAfter: number, limit: number): AlarmRow[] {
    const rows: AlarmRow[] = [];
    for (const [id, type, time, cron, timezone, every, chain, metadata, attempts] of this.#table.raw(SQL.page, after.time, after.id, notAfter, limit)) {
      rows.push({ id, type, time, cron, timezone, every, chain, metadata, attempts } as AlarmRow);
    }
    return rows;
  }

  /** Deletes these rows (at most {@link MAX_IDS}). */
  finish(ids: readonly string[]): void {
    if (ids.length > 0) this.#table.query(finishStatement(ids.length), ...ids);
  }

  rearm(id: string, time: number, attempts: number): void {
    this.#table.query(SQL.rearm, time, attempts, id);
  }

  list(start: number, end: number): AlarmRow[] {
    return this.#table.query<AlarmRow>(SQL.list, start, end).rows;
  }

  // --- claims ------------------------------------------------------------------

  /** Records that pass `pass` is about to run the schedules `ids` (replacing what it recorded before). */
  claim(pass: number, ids: readonly string[]): void {
    this.#claims.write(CLAIMS_SQL.set, pass, JSON.stringify(ids));
  }

  /** Pass `pass` is no longer running anything. */
  release(pass: number): void {
    this.#claims.query(CLAIMS_SQL.clear, pass);
  }

  /**
   * For a new instance: the schedules that dead instances were running each
   * count one attempt, and their claims are cleared. Returns how many
   * schedules that was.
   */
  chargeCrashedClaims(): number {
    const claims = this.#claims.query<{ ids: string }>(CLAIMS_SQL.takeAll).rows;
    if (claims.length === 0) return 0;
    const ids = claims.flatMap((claim) => JSON.parse(claim.ids) as string[]);
    return this.#table.query(SQL.charge, JSON.stringify(ids)).rowsWritten;
  }

  // --- dead letters --------------------------------------------------------------

  addDeadLetter(letter: Omit<DeadLetterRow, "seq">): void {
    const { kind, id, type, time, dropped_at, attempts, chain, metadata, error_name, error_message } = letter;
    const [row] = this.#deadLetters.write<{ seq: number }>(DEAD_LETTERS_SQL.insert, kind, id, type, time, dropped_at, attempts, chain, metadata, error_name, error_message).rows;
    if (row && row.seq > DEAD_LETTER_LIMIT) this.#deadLetters.query(DEAD_LETTERS_SQL.trim, row.seq - DEAD_LETTER_LIMIT);
  }

  deadLetters(): DeadLetterRow[] {
    return this.#deadLetters.query<DeadLetterRow>(DEAD_LETTERS_SQL.list).rows;
  }

  clearDeadLetters(): number {
    return this.#deadLetters.query(DEAD_LETTERS_SQL.clear).rowsWritten;
  }
}
