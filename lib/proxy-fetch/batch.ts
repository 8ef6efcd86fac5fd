/**
 * Hand-overs made in one synchronous stretch travel together (`collect`, in
 * lib/delivery). A loop of 500 `proxyFetch` calls is one enqueue at the
 * orchestrator and 50 executor invocations, not 500 of each: fewer Worker
 * requests (each is billed) and fewer round trips.
 */
export { chunks, collect, fittingSlices } from "../delivery";

/**
 * Jobs per executor invocation. Each job costs the executor about three
 * subrequests (the fetch, a claim, the delivery; more with retries), and a
 * Worker invocation has a subrequest limit (50 on the Free plan), so batches
 * stay well under it.
 */
export const MAX_JOBS_PER_EXECUTOR_CALL = 10;
/** Jobs per enqueue RPC at the orchestrator, and fewer when their bodies would not fit in one RPC message together. */
export const MAX_JOBS_PER_ENQUEUE = 100;

/**
 * Runs `work` up to `attempts` times, waiting `backoff` ms before the first
 * retry and doubling it after. For idempotent hand-overs only.
 * @throws the last attempt's error.
 */
export async function retrying<T>(attempts: number, backoff: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)));
    }
  }
}
