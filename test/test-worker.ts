/**
 * The Worker the tests run against: every example, plus test-only fixtures
 * (bound in vitest.config.ts, not in wrangler.jsonc, so `wrangler dev` users
 * never see them). Exports are named one by one: the pool reads this file's
 * exports without following `export *`.
 */
export { default, CounterDO, GreeterWorker, ImpatientUserDO, ProfileDO, RemindersDO, UserDO } from "../examples/index";
export { ApprovalsDO, DigestDO, FetchExecutor, FetchOrchestrator, OffersDO, WeatherDO } from "../examples/index";
export { ActivityDO, MonitorDO, StandupDO } from "../examples/index";
export { LedgerDO, TellerDO } from "../examples/index";
export { BankDO, ShopDO } from "../examples/errors/checkout";
export { InvoiceDO as InvoiceBeforeDO } from "../examples/versioning/before/invoices";
export { InvoiceDO as InvoiceAfterDO } from "../examples/versioning/after/invoices";
export { CheckoutDO, WalletDO } from "../examples/index";
export { ProbeDO } from "./fixtures/probe";
export { AlarmsBenchDO, BenchTargetDO, CallBenchDO, CloneBenchDO, MeteredOrchestrator, ProxyFetchBenchDO } from "../bench/worker/index";
export { BrokenExecutor, DeadExecutor, LosingExecutor } from "./fixtures/faulty-executors";
export { ProbeWorker } from "./fixtures/probe-worker";
export { LifecycleWorker } from "./fixtures/lifecycle";
export { CallerProbeDO } from "./fixtures/caller-probe";
export { MisbehavingDO } from "./fixtures/misbehaving";
export { ExposedDO, ExposedWorker } from "./fixtures/exposed";
export { GuardedDO, GuardedWorker } from "./fixtures/guarded";
export { OldReceiverDO } from "./fixtures/old-receiver";
