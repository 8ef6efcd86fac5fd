/**
 * sql: the one place Lumenize's own tables (alarms, pending outcomes, the
 * orchestrator's jobs) are created lazily, survive `deleteAll()`, and are
 * migrated to the library's schema version when an object starts.
 * Internal: not part of the public API.
 *
 * @module
 */
export { LazyTable, SCHEMA_TABLE, type SqlResult, type TableSchema } from "./lazy-table";
