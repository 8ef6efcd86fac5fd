/**
 * A table Lumenize keeps in a Durable Object's SQLite: created on the first
 * write, never before (an object that never schedules anything has no
 * table), and still working after `ctx.storage.deleteAll()` dropped it.
 *
 * Knowing whether the table exists saves a statement per call, but that
 * knowledge goes stale when the user wipes storage. So it is a guess, not a
 * cache: a statement that finds the table missing ("no such table") corrects
 * it, then reads as empty, or creates the table and runs again. Nothing is
 * checked on the happy path.
 */

/** What a statement gave back. */
export interface SqlResult<T> {
  readonly rows: T[];
  readonly rowsWritten: number;
}

const NOTHING: SqlResult<never> = Object.freeze({ rows: [], rowsWritten: 0 }) as SqlResult<never>;
const TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";

export class LazyTable {
  readonly #sql: SqlStorage;
  readonly #schema: readonly string[];
  readonly #created: () => void;
  #exists: boolean;

  /**
   * @param schema the statements that create the table and its indexes
   *   (`CREATE … IF NOT EXISTS`), run in order.
   * @param created called each time the table had to be created: anything
   *   remembered about its rows (an armed platform alarm, say) is stale.
   */
  constructor(sql: SqlStorage, name: string, schema: readonly string[], created: () => void = () => {}) {
    this.#sql = sql;
    this.#schema = schema;
    this.#created = created;
    this.#exists = sql.exec(TABLE_EXISTS, name).toArray().length > 0;
  }

  /** Whether the table exists, as far as this object knows. */
  get exists(): boolean {
    return this.#exists;
  }

  /**
   * Runs a statement that has nothing to do while the table is missing (a
   * read, an update, a delete): it then returns no rows and writes nothing.
   */
  query<T extends Record<string, SqlStorageValue>>(statement: string, ...bindings: unknown[]): SqlResult<T> {
    if (!this.#exists) return NOTHING;
    try {
      return this.#run<T>(statement, bindings);
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      this.#exists = false;
      return NOTHING;
    }
  }

  /** Runs a statement that needs the table (an insert), creating the table first if it is missing. */
  write<T extends Record<string, SqlStorageValue>>(statement: string, ...bindings: unknown[]): SqlResult<T> {
    if (!this.#exists) this.#create();
    try {
      return this.#run<T>(statement, bindings);
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      this.#create();
      return this.#run<T>(statement, bindings);
    }
  }

  #run<T extends Record<string, SqlStorageValue>>(statement: string, bindings: unknown[]): SqlResult<T> {
    const cursor = this.#sql.exec<T>(statement, ...bindings);
    const rows = cursor.toArray();
    return { rows, rowsWritten: cursor.rowsWritten };
  }

  #create(): void {
    for (const statement of this.#schema) this.#sql.exec(statement);
    this.#exists = true;
    this.#created();
  }
}

function isMissingTable(error: unknown): boolean {
  return /no such table/i.test(String((error as Error)?.message ?? error));
}
