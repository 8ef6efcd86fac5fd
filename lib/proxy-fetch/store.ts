/**
 * The orchestrator's job table, every statement synchronous. One row per
 * job from enqueue until it is claimed (by the executor's result, a dispatch
 * failure or the timeout sweep): claiming deletes the row, so a second claim
 * finds nothing. `WITHOUT ROWID`, so the primary key is the table; the
 * index serves the sweep's "due by now" and "next deadline" queries.
 */
import { LazyTable } from "../sql";
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

/**
 * Synchronous access to the job table. Until the first job the table does
 * not exist and reads write nothing; after `deleteAll()` it is made again.
 */
export class JobTable {
  readonly #storage: DurableObjectStorage;
  readonly #table: LazyTable;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#table = new LazyTable(storage.sql, JOBS_TABLE, [SQL.createTable, SQL.createIndex]);
  }

  /** Returns whether the row is new. */
  insert(row: Omit<JobRow, "state">): boolean {
    return this.#table.write(SQL.insert, row.id, row.method, row.url, row.origin, row.continuation, row.deadline, row.budget).rowsWritten > 0;
  }

  accepted(id: string): void {
    this.#table.query(SQL.accepted, id);
  }

  /** Removes the job and returns it, once: `undefined` if someone claimed it first. */
  claim(id: string, outcome: keyof Counters): JobRow | undefined {
    const row = this.#table.query<JobRow>(SQL.claim, id).rows[0];
    if (row) this.#count(outcome, 1);
    return row;
  }

  /** Removes and returns every job whose deadline is `now` or earlier. */
  claimDue(now: number): JobRow[] {
    const rows = this.#table.query<JobRow>(SQL.claimDue, now).rows;
    if (rows.length > 0) this.#count("timedOut", rows.length);
    return rows;
  }

  nextDeadline(): number | undefined {
    return this.#table.query<{ deadline: number }>(SQL.nextDeadline).rows[0]?.deadline;
  }

  countByState(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { state, n } of this.#table.query<{ state: string; n: number }>(SQL.countByState).rows) counts[state] = n;
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
