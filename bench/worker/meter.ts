/**
 * What a Durable Object is billed for besides duration, counted from inside
 * it, for the proxy-fetch cost experiment: requests it received (RPC calls
 * and alarm invocations, counted by the methods that receive them) and rows
 * written (what SQLite reports per statement, one per KV `put`/`delete`,
 * one per `setAlarm`, as the pricing page bills them).
 */
export interface Reading {
  /** Incoming requests: RPC calls the object counted, and alarm invocations. */
  requests: number;
  /** Rows written: SQL statements' `rowsWritten`, KV puts and deletes, `setAlarm` calls. */
  rowsWritten: number;
}

export class Meter {
  #requests = 0;
  #rows = 0;
  #cursors: { readonly rowsWritten: number }[] = [];

  /** Wraps `ctx.storage`'s writing methods; the object's own code (Lumenize's tables) goes through them. */
  constructor(ctx: DurableObjectState) {
    const { sql, kv } = ctx.storage;
    const exec = sql.exec.bind(sql);
    sql.exec = ((query: string, ...bindings: unknown[]) => {
      const cursor = exec(query, ...bindings);
      // Read once the statement has run: a cursor counts its rows as it is consumed.
      this.#cursors.push(cursor);
      return cursor;
    }) as typeof sql.exec;
    const put = kv.put.bind(kv);
    kv.put = ((key: string, value: unknown) => {
      this.#rows++;
      return put(key, value);
    }) as typeof kv.put;
    const remove = kv.delete.bind(kv);
    kv.delete = ((key: string) => {
      const removed = remove(key);
      if (removed) this.#rows++;
      return removed;
    }) as typeof kv.delete;
    const setAlarm = ctx.storage.setAlarm.bind(ctx.storage);
    ctx.storage.setAlarm = ((...args: Parameters<typeof setAlarm>) => {
      this.#rows++;
      return setAlarm(...args);
    }) as typeof setAlarm;
  }

  /** Counts one incoming request. */
  request(): void {
    this.#requests++;
  }

  /** What was counted since the last reading; starts the count again. */
  take(): Reading {
    const rowsWritten = this.#rows + this.#cursors.reduce((sum, cursor) => sum + cursor.rowsWritten, 0);
    const reading = { requests: this.#requests, rowsWritten };
    this.#requests = 0;
    this.#rows = 0;
    this.#cursors = [];
    return reading;
  }
}
