/**
 * The bench's Durable Object bindings in the form the vitest pool takes
 * (`miniflare.durableObjects` in vitest.config.ts), so the smoke test runs
 * the experiment methods without a second workerd. Mirrors
 * bench/wrangler.jsonc; test/bench/smoke.test.ts checks that they agree.
 */
export const benchDurableObjects = {
  CALL_BENCH: { className: "CallBenchDO", useSQLite: true },
  BENCH_TARGET: { className: "BenchTargetDO", useSQLite: true },
  ALARMS_BENCH: { className: "AlarmsBenchDO", useSQLite: true },
  CLONE_BENCH: { className: "CloneBenchDO", useSQLite: true },
  PROXY_FETCH_BENCH: { className: "ProxyFetchBenchDO", useSQLite: true },
  METERED_ORCHESTRATOR: { className: "MeteredOrchestrator", useSQLite: true },
} as const;

/**
 * Bindings bench/wrangler.jsonc declares that the pool gets from the main
 * wrangler.jsonc instead (same names, same library classes).
 */
export const sharedWithExamples = ["FETCH_ORCHESTRATOR"] as const;
