/**
 * sql: the one place Lumenize's own tables (alarms, pending outcomes, the
 * orchestrator's jobs) are created lazily and survive `deleteAll()`.
 * Internal: not part of the public API.
 *
 * @module
 */
export { LazyTable, type SqlResult } from "./lazy-table";
