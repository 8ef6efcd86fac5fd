/**
 * The orchestrator's job table, every statement synchronous. One row per
 * job, from enqueue until the job ends; the row is deleted, and the job
 * counted in exactly one bucket (delivered, timed out, failed), in the same
 * synchronous stretch, so a crash cannot count a job twice or lose it.
 * `WITHOUT ROWID`, so the primary key is the table; the index serves the
 * sweep's "due by now" and "next deadline" queries.
 *
 * The continuation is not here: it stays on the origin, in its pending
 * outcome. What is here is what it takes to deliver to that outcome (the
 * origin's address and token) and, for a job that may be sent twice, the job
 * itself, to send again after a restart.
 */
import { LazyTable } from "../sql";
import type { Delivery, OriginAddress } from "./types";

export const JOBS_TABLE = "__lmz_proxy_fetch_jobs";
const COUNTERS_KEY = "__lumenize:proxy-fetch:counters";

/** Where a job is. */
export type JobState =
  /** Handed to the executor (or about to be); it has not confirmed it took the job. */
  | "pending"
  /** The executor took it. */
  | "in-flight"
  /** Stranded by a restart while pending, and not sent again (its method may not be repeated): it waits for its deadline. */
  | "unconfirmed";

export interface JobRow extends Record<string, SqlStorageValue> {
  id: string;
  state: JobState;
  method: string;
  url: string;
  /** JSON of the {@link OriginAddress}. */
  origin: string;
  /** The origin's pending outcome's token. */
  token: string;
  /** Epoch milliseconds: call time + timeout + gracePeriod. */
  deadline: number;
  /** Epoch milliseconds: the origin's own deadline (one gracePeriod later). */
  backstop: number;
  /** timeout + gracePeriod, in milliseconds, for the timeout's message. */
  budget: number;
  /** JSON of the job to send again after a restart, or null when it may not be sent twice. */
  dispatch: string | null;
}

export const SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS ${JOBS_TABLE} (
    id TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    origin TEXT NOT NULL,
    token TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    backstop INTEGER NOT NULL,
    budget INTEGER NOT NULL,
    dispatch TEXT
  ) WITHOUT ROWID`,
  createIndex: `CREATE INDEX IF NOT EXISTS ${JOBS_TABLE}_by_deadline ON ${JOBS_TABLE} (deadline)`,
  /** Idempotent: an origin retrying an enqueue whose ack was lost adds nothing. */
  insert: `INSERT OR IGNORE INTO ${JOBS_TABLE} (id, state, method, url, origin, token, deadline, backstop, budget, dispatch) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
  accepted: `UPDATE ${JOBS_TABLE} SET state = 'in-flight' WHERE id = ?`,
  unconfirmed: `UPDATE ${JOBS_TABLE} SET state = 'unconfirmed' WHERE id = ? AND state = 'pending'`,
  take: `DELETE FROM ${JOBS_TABLE} WHERE id = ? RETURNING *`,
  takeDelivered: `DELETE FROM ${JOBS_TABLE} WHERE id = ? AND token = ? RETURNING id`,
  takeDue: `DELETE FROM ${JOBS_TABLE} WHERE deadline <= ? RETURNING *`,
  pending: `SELECT * FROM ${JOBS_TABLE} WHERE state = 'pending'`,
  anyPending: `SELECT 1 FROM ${JOBS_TABLE} WHERE state = 'pending' LIMIT 1`,
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
    this.#table = new LazyTable(storage, { name: JOBS_TABLE, version: 1, create: [SQL.createTable, SQL.createIndex] });
  }

  /** Returns whether the row is new. */
  insert(row: Omit<JobRow, "state">): boolean {
    const { id, method, url, origin, token, deadline, backstop, budget, dispatch } = row;
    return this.#table.write(SQL.insert, id, method, url, origin, token, deadline, backstop, budget, dispatch).rowsWritten > 0;
  }

  accepted(id: string): void {
    this.#table.query(SQL.accepted, id);
  }

  unconfirmed(id: string): void {
    this.#table.query(SQL.unconfirmed, id);
  }

  /** Ends the job as failed and returns it, once: `undefined` if it had already ended. */
  fail(id: string): JobRow | undefined {
    const row = this.#table.query<JobRow>(SQL.take, id).rows[0];
    if (row) this.#count("failed", 1);
    return row;
  }

  /** Ends the job as delivered, if `token` is its token; returns whether it did. */
  delivered(id: string, token: string): boolean {
    const ended = this.#table.query(SQL.takeDelivered, id, token).rows.length > 0;
    if (ended) this.#count("delivered", 1);
    return ended;
  }

  /** Ends, as timed out, every job whose deadline is `now` or earlier, and returns them. */
  timeOutDue(now: number): JobRow[] {
    const rows = this.#table.query<JobRow>(SQL.takeDue, now).rows;
    if (rows.length > 0) this.#count("timedOut", rows.length);
    return rows;
  }

  pending(): JobRow[] {
    return this.#table.query<JobRow>(SQL.pending).rows;
  }

  anyPending(): boolean {
    return this.#table.query(SQL.anyPending).rows.length > 0;
  }

  nextDeadline(): number | undefined {
    return this.#table.query<{ deadline: number }>(SQL.nextDeadline).rows[0]?.deadline;
  }

  countByState(): Partial<Record<JobState, number>> {
    const counts: Partial<Record<JobState, number>> = {};
    for (const { state, n } of this.#table.query<{ state: JobState; n: number }>(SQL.countByState).rows) counts[state] = n;
    return counts;
  }

  counters(): Counters {
    return this.#storage.kv.get<Counters>(COUNTERS_KEY) ?? { delivered: 0, timedOut: 0, failed: 0 };
  }

  /** Moves one ended job from one bucket to another, once it turns out it ended otherwise. */
  recount(from: keyof Counters, to: keyof Counters): void {
    const counters = this.counters();
    counters[from] -= 1;
    counters[to] += 1;
    this.#storage.kv.put(COUNTERS_KEY, counters);
  }

  #count(outcome: keyof Counters, by: number): void {
    const counters = this.counters();
    counters[outcome] += by;
    this.#storage.kv.put(COUNTERS_KEY, counters);
  }
}

/** Where and how to deliver to a job's origin. */
export function deliveryOf(row: JobRow): Delivery {
  return { origin: JSON.parse(row.origin) as OriginAddress, token: row.token, deadline: row.backstop };
}
