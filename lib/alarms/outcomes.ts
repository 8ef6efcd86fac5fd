/**
 * Pending outcomes: a continuation waiting for one outcome from elsewhere
 * (a proxied fetch's Response, a durable call's result), with a deadline and
 * an unguessable token. Owned by alarms because its deadline rides the same
 * platform alarm as the schedules.
 *
 * One row per pending outcome, in a table of its own (`__lmz_outcomes`), so
 * nothing that reaches the settle door can touch a schedule, and the
 * schedules' table keeps its shape. A row is claimed by deleting it: by
 * `settle` with the right token, or by the deadline. Only the first claim
 * finds the row, so the continuation runs at most once, and never again: a
 * claimed row is gone, so nothing retries it.
 *
 * The claim and the continuation's synchronous start share one write batch
 * (the platform commits when JavaScript yields to I/O, not at each
 * microtask), so a crash there loses both: the outcome is then still pending,
 * and is settled again or times out. A continuation that awaits I/O before
 * writing can be cut short by a crash after that await: its claim is then
 * committed and it does not run again.
 */
import { describeChain, executeOperationChain, type OperationChain } from "../chains";
import { LazyTable } from "../sql";
import { parse } from "../structured-clone";
import type { Deadlines } from "./deadline";
import type { PendingOutcomeInfo } from "./types";

export const OUTCOMES_TABLE = "__lmz_outcomes";
const T = OUTCOMES_TABLE;

/** A row as stored. */
export interface OutcomeRow extends Record<string, SqlStorageValue> {
  id: string;
  /** 32 hex digits (128 random bits): whoever settles must hold it. */
  token: string;
  /** The deadline, epoch milliseconds. */
  time: number;
  /** The continuation, through structured-clone `stringifySync`. */
  chain: string;
  /** The message of the TimeoutError the continuation receives at the deadline. */
  message: string;
}

export const SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS ${T} (
    id TEXT NOT NULL PRIMARY KEY,
    token TEXT NOT NULL,
    time INTEGER NOT NULL,
    chain TEXT NOT NULL,
    message TEXT NOT NULL
  ) WITHOUT ROWID`,
  createIndex: `CREATE INDEX IF NOT EXISTS ${T}_by_time ON ${T} (time, id)`,
  insert: `INSERT INTO ${T} (id, token, time, chain, message) VALUES (?, ?, ?, ?, ?)`,
  /** The claim of `settle`: the right token, whatever the time. */
  settle: `DELETE FROM ${T} WHERE id = ? AND token = ? RETURNING *`,
  /** The claim of the deadline. */
  expire: `DELETE FROM ${T} WHERE id = ? AND time <= ? RETURNING *`,
  exists: `SELECT 1 FROM ${T} WHERE id = ?`,
  nextTime: `SELECT time FROM ${T} ORDER BY time, id LIMIT 1`,
  due: `SELECT id, time FROM ${T} WHERE time <= ? ORDER BY time, id`,
  first: `SELECT id, time FROM ${T} ORDER BY time, id LIMIT ?`,
  list: `SELECT id, time, chain FROM ${T} ORDER BY time, id`,
} as const;

/** A row to run, as the firing loop lists them. */
export interface Due {
  readonly id: string;
  readonly time: number;
}

/** What becomes of a continuation that threw: it is not retried. */
export type Dropped = (row: OutcomeRow, error: unknown) => void;

/** The pending outcomes of one Durable Object, all synchronous SQL but the continuation runs. */
export class PendingOutcomes {
  readonly #table: LazyTable;
  readonly #host: object;
  readonly #deadlines: Deadlines;
  readonly #dropped: Dropped;

  /** @param dropped told about each continuation that threw (or could not be read back), after it is logged. */
  constructor(storage: DurableObjectStorage, host: object, deadlines: Deadlines, created: () => void, dropped: Dropped) {
    this.#table = new LazyTable(storage, { name: T, version: 1, create: [SQL.createTable, SQL.createIndex] }, created);
    this.#host = host;
    this.#deadlines = deadlines;
    this.#dropped = dropped;
  }

  get exists(): boolean {
    return this.#table.exists;
  }

  insert(row: OutcomeRow): void {
    this.#table.write(SQL.insert, row.id, row.token, row.time, row.chain, row.message);
  }

  /** Claims the row for its token holder; `undefined` if the token is wrong or the row is gone. */
  claim(id: string, token: string): OutcomeRow | undefined {
    return this.#table.query<OutcomeRow>(SQL.settle, id, token).rows[0];
  }

  /** Claims the row for its deadline, if it is still pending and due by `notAfter`. */
  expire(id: string, notAfter: number): OutcomeRow | undefined {
    return this.#table.query<OutcomeRow>(SQL.expire, id, notAfter).rows[0];
  }

  has(id: string): boolean {
    return this.#table.query(SQL.exists, id).rows.length > 0;
  }

  nextTime(): number | undefined {
    return this.#table.query<{ time: number }>(SQL.nextTime).rows[0]?.time;
  }

  due(now: number): Due[] {
    return this.#table.query<{ id: string; time: number }>(SQL.due, now).rows;
  }

  first(count: number): Due[] {
    return this.#table.query<{ id: string; time: number }>(SQL.first, count).rows;
  }

  /** Every pending outcome, soonest deadline first, without its token. */
  list(): PendingOutcomeInfo[] {
    return this.#table.query<{ id: string; time: number; chain: string }>(SQL.list).rows.map((row) => ({
      id: row.id,
      deadline: row.time,
      operationChain: parse(row.chain) as OperationChain,
    }));
  }

  /**
   * Runs a claimed row's continuation with `outcome` in its placeholders:
   * once, never retried; a throw is logged and dropped. Waits for it at
   * most `timeout` ms, then lets it finish on its own. Returns the chain it
   * ran, or `undefined` if the row could not be read back (it is logged and
   * dropped).
   */
  async run(row: OutcomeRow, outcome: unknown, timeout: number): Promise<OperationChain | undefined> {
    let chain: OperationChain;
    try {
      chain = parse(row.chain) as OperationChain;
    } catch (error) {
      console.error(`[lumenize] alarms: pending outcome "${row.id}" could not be read back and was dropped.`, error);
      this.#dropped(row, error);
      return undefined;
    }
    const label = `pending outcome "${row.id}"`;
    const run = executeOperationChain(chain, this.#host, { result: outcome });
    const end = await this.#deadlines.within(run, timeout, (late) => {
      if (late.kind === "threw") this.#threw(row, chain, late.error);
      console.warn(`[lumenize] alarms: the continuation ${describeChain(chain)} of ${label} ${late.kind === "threw" ? "threw" : "finished"} after its ${timeout} ms deadline.`);
    });
    if (end.kind === "threw") this.#threw(row, chain, end.error);
    return chain;
  }

  #threw(row: OutcomeRow, chain: OperationChain, error: unknown): void {
    console.error(`[lumenize] pending outcome "${row.id}": continuation ${describeChain(chain)} threw`, error);
    this.#dropped(row, error);
  }
}

/** 128 random bits as 32 hex digits. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
