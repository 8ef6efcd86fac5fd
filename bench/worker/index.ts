/**
 * The bench Worker (`bench/wrangler.jsonc`), driven by `npm run bench`: the
 * experiment controllers, and the HTTP face in `http.ts`.
 */
import type { BenchEnv } from "./env";
import { benchHandler } from "./http";

export { AlarmsBenchDO } from "./alarms";
export { BenchTargetDO, CallBenchDO } from "./call";
export { MeteredOrchestrator, ProxyFetchBenchDO } from "./proxy-fetch";
export { CloneBenchDO } from "./structured-clone";
// proxy-fetch's own classes, bound as FETCH_ORCHESTRATOR and FETCH_EXECUTOR in bench/wrangler.jsonc.
export { FetchExecutor, FetchOrchestrator } from "../../lib";

export default benchHandler<BenchEnv>({
  "/payload-sizes": (env) => env.CLONE_BENCH.getByName("sizes").sizes(),
});
