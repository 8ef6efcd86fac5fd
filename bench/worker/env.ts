/**
 * The bindings of the bench Worker (`bench/wrangler.jsonc`). Kept by hand
 * beside that file, and separate from the examples' global `Env`, so the
 * bench never leaks into what `wrangler dev` users see.
 */
import type { AlarmsBenchDO } from "./alarms";
import type { BenchTargetDO, CallBenchDO } from "./call";
import type { FetchExecutor, FetchOrchestrator } from "../../lib";
import type { MeteredOrchestrator, ProxyFetchBenchDO } from "./proxy-fetch";
import type { CloneBenchDO } from "./structured-clone";

export interface BenchEnv {
  CALL_BENCH: DurableObjectNamespace<CallBenchDO>;
  BENCH_TARGET: DurableObjectNamespace<BenchTargetDO>;
  ALARMS_BENCH: DurableObjectNamespace<AlarmsBenchDO>;
  CLONE_BENCH: DurableObjectNamespace<CloneBenchDO>;
  PROXY_FETCH_BENCH: DurableObjectNamespace<ProxyFetchBenchDO>;
  FETCH_ORCHESTRATOR: DurableObjectNamespace<FetchOrchestrator>;
  METERED_ORCHESTRATOR: DurableObjectNamespace<MeteredOrchestrator>;
  FETCH_EXECUTOR: Service<FetchExecutor>;
}
