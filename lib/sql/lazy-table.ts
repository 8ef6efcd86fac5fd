/**
 * A table Lumenize keeps in a Durable Object's SQLite: created on the first
 * write, never before (an object that never schedules anything has no
 * table), still working after `ctx.storage.deleteAll()` dropped it, and
 * brought up to the library's schema version when the object starts.
 *
 * Knowing whether the table exists saves a statement per call, but that
 * knowledge goes stale when the user wipes storage. So it is a guess, not a
 * cache: a statement that finds the table missing ("no such table") corrects
 * it, then reads as empty, or creates the table and runs again. Nothing is
 * checked on the happy path.
 *
 * Schema versions live in one small table, `__lmz_schema` (table name →
 * version). A table without a row there is at version 1: every table made
 * before versions existed, and every table that never changed shape.
 */
import { describeThrown } from "../errors/internal";

/** What a statement gave back. */
export interface SqlResult<T> {
  readonly rows: T[];
  readonly rowsWritten: number;
}

/** The shape of a table, and how to bring an older one up to it. */
export interface TableSchema {
  readonly name: string;
  /** The statements that create the current version from nothing (`CREATE … IF NOT EXISTS`), in order. */
  readonly create: readonly string[];
  /** The current version, from 1. */
  readonly version: number;
  /**
   * `migrations[v]` brings the table from version `v` to `v + 1`. The steps
   * from the stored version up run in one transaction when the object
   * starts, so a step that throws leaves the table as it was.
   */
  readonly migrations?: Readonly<Record<number, (sql: SqlStorage) => void>>;
}

const NOTHING: SqlResult<never> = Object.freeze({ rows: [], rowsWritten: 0 }) as SqlResult<never>;
export const SCHEMA_TABLE = "__lmz_schema";
const TABLES_PRESENT = `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, '${SCHEMA_TABLE}')`;
const SCHEMA = {
  create: `CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (name TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID`,
  read: `SELECT version FROM ${SCHEMA_TABLE} WHERE name = ?`,
  write: `INSERT OR REPLACE INTO ${SCHEMA_TABLE} (name, version) VALUES (?, ?)`,
} as const;

export class LazyTable {
  readonly #storage: DurableObjectStorage;
  readonly #sql: SqlStorage;
  readonly #schema: TableSchema;
  readonly #created: () => void;
  #exists: boolean;

  /**
   * Migrates an existing table to `schema.version`; creates nothing.
   *
   * @param created called each time the table had to be created: anything
   *   remembered about its rows (an armed platform alarm, say) is stale.
   * @throws {Error} if the stored version is newer than `schema.version` (a
   *   newer Lumenize ran on this object, then an older one was deployed).
   */
  constructor(storage: DurableObjectStorage, schema: TableSchema, created: () => void = () => {}) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#schema = schema;
    this.#created = created;
    const present = this.#sql
      .exec<{ name: string }>(TABLES_PRESENT, schema.name)
      .toArray()
      .map((row) => row.name);
    this.#exists = present.includes(schema.name);
    if (this.#exists) this.#migrate(present.includes(SCHEMA_TABLE));
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

  /**
   * {@link query}, its rows as arrays of column values, in the statement's
   * column order: cheaper to read than objects when a statement returns many.
   */
  raw(statement: string, ...bindings: unknown[]): SqlStorageValue[][] {
    if (!this.#exists) return [];
    try {
      return [...this.#sql.exec(statement, ...bindings).raw()];
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      this.#exists = false;
      return [];
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
    for (const statement of this.#schema.create) this.#sql.exec(statement);
    // Version 1 needs no row: a table without one is at version 1.
    if (this.#schema.version > 1) this.#recordVersion();
    this.#exists = true;
    this.#created();
  }

  #migrate(versioned: boolean): void {
    const { name, version, migrations = {} } = this.#schema;
    const stored = versioned ? Number(this.#sql.exec<{ version: number }>(SCHEMA.read, name).toArray()[0]?.version ?? 1) : 1;
    if (stored === version) return;
    if (stored > version) {
      throw new Error(
        `Lumenize's table ${name} is at schema version ${stored}, newer than the version ${version} this code knows: a newer Lumenize ran on this Durable Object, then an older one was deployed. Deploy the newer version again.`,
      );
    }
    this.#storage.transactionSync(() => {
      for (let from = stored; from < version; from++) {
        const step = migrations[from];
        if (!step) throw new Error(`Lumenize's table ${name} has no migration from schema version ${from} to ${from + 1}.`);
        step(this.#sql);
      }
      this.#recordVersion();
    });
  }

  #recordVersion(): void {
    this.#sql.exec(SCHEMA.create);
    this.#sql.exec(SCHEMA.write, this.#schema.name, this.#schema.version);
  }
}

function isMissingTable(error: unknown): boolean {
  return /no such table/i.test(describeThrown(error));
}
