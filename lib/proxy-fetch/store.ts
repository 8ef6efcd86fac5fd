/**
 * The orchestrator's job table, every statement synchronous. One row per
 * job from enqueue until it is claimed (by the executor's result, a dispatch
 * failure or the timeout sweep): claiming deletes the row, so a second claim
 * finds nothing. `WITHOUT ROWID`, so the primary key is the table; the
 * index serves the sweep's "due by now" and "next deadline" queries.
 */
import type { OriginAddress } from "./types";

export const JOBS_TABLE = "__lmz_proxy_fetch_jobs";
const COUNTERS_KEY = "__lumenize:proxy-fetch:counters";

export interface JobRow extends Record<string, SqlStorageValue> {
  id: string;
  /** `pending` until the executor accepts the job, then `in-flight`. */
  state: string;
  method: string;
  url: string;
  /** JSON of the {@link OriginAddress}. */
  origin: string;
  /** The continuation, structured-clone text. */
  continuation: string;
  /** Epoch milliseconds: enqueue time + timeout + gracePeriod. */
  deadline: number;
  /** timeout + gracePeriod, in milliseconds, for the timeout's message. */
  budget: number;
}

export const SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS ${JOBS_TABLE} (
    id TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    origin TEXT NOT NULL,
    continuation TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    budget INTEGER NOT NULL
  ) WITHOUT ROWID`,
  createIndex: `CREATE INDEX IF NOT EXISTS ${JOBS_TABLE}_by_deadline ON ${JOBS_TABLE} (deadline)`,
  tableExists: `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${JOBS_TABLE}'`,
  /** Idempotent: an origin retrying an enqueue whose ack was lost adds nothing. */
  insert: `INSERT OR IGNORE INTO ${JOBS_TABLE} (id, state, method, url, origin, continuation, deadline, budget) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?)`,
  accepted: `UPDATE ${JOBS_TABLE} SET state = 'in-flight' WHERE id = ? AND state = 'pending'`,
  claim: `DELETE FROM ${JOBS_TABLE} WHERE id = ? RETURNING *`,
  claimDue: `DELETE FROM ${JOBS_TABLE} WHERE deadline <= ? RETURNING *`,
  nextDeadline: `SELECT deadline FROM ${JOBS_TABLE} ORDER BY deadline LIMIT 1`,
  countByState: `SELECT state, COUNT(*) AS n FROM ${JOBS_TABLE} GROUP BY state`,
} as const;

/** Cumulative outcomes, kept in the synchronous KV beside the table. */
export interface Counters {
  delivered: number;
  timedOut: number;
  failed: number;
}

/** Synchronous access to the job table. Until the first job, the table does not exist and reads write nothing. */
export class JobTable {
  readonly #storage: DurableObjectStorage;
  readonly #sql: SqlStorage;
  #exists: boolean;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#exists = this.#sql.exec(SQL.tableExists).toArray().length > 0;
  }

  /** Returns whether the row is new. */
  insert(row: Omit<JobRow, "state">): boolean {
    if (!this.#exists) {
      this.#sql.exec(SQL.createTable);
      this.#sql.exec(SQL.createIndex);
      this.#exists = true;
    }
    return this.#sql.exec(SQL.insert, row.id, row.method, row.url, row.origin, row.continuation, row.deadline, row.budget).rowsWritten > 0;
  }

  accepted(id: string): void {
    if (this.#exists) this.#sql.exec(SQL.accepted, id);
  }

  /** Removes the job and returns it, once: `undefined` if someone claimed it first. */
  claim(id: string, outcome: keyof Counters): JobRow | undefined {
    if (!this.#exists) return undefined;
    const row = this.#sql.exec<JobRow>(SQL.claim, id).toArray()[0];
    if (row) this.#count(outcome, 1);
    return row;
  }

  /** Removes and returns every job whose deadline is `now` or earlier. */
  claimDue(now: number): JobRow[] {
    if (!this.#exists) return [];
    const rows = this.#sql.exec<JobRow>(SQL.claimDue, now).toArray();
    if (rows.length > 0) this.#count("timedOut", rows.length);
    return rows;
  }

  nextDeadline(): number | undefined {
    if (!this.#exists) return undefined;
    return this.#sql.exec<{ deadline: number }>(SQL.nextDeadline).toArray()[0]?.deadline;
  }

  countByState(): Record<string, number> {
    const counts: Record<string, number> = {};
    if (!this.#exists) return counts;
    for (const { state, n } of this.#sql.exec<{ state: string; n: number }>(SQL.countByState)) counts[state] = n;
    return counts;
  }

  counters(): Counters {
    return this.#storage.kv.get<Counters>(COUNTERS_KEY) ?? { delivered: 0, timedOut: 0, failed: 0 };
  }

  #count(outcome: keyof Counters, by: number): void {
    const counters = this.counters();
    counters[outcome] += by;
    this.#storage.kv.put(COUNTERS_KEY, counters);
  }
}

export function originOf(row: JobRow): OriginAddress {
  return JSON.parse(row.origin) as OriginAddress;
}
