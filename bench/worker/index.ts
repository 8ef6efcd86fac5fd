/**
 * The bench Worker (`bench/wrangler.jsonc`), driven by `npm run bench`.
 *
 * `POST /batch` with `{ binding, instance, method, size, params }` runs one
 * batch on the named ExperimentController and answers with its BatchResult.
 * `GET /info?binding=…&method=…` calls a controller's informational method.
 */
import type { BatchRequest } from "./controller";
import type { BenchEnv } from "./env";

export { AlarmsBenchDO } from "./alarms";
export { BenchTargetDO, CallBenchDO } from "./call";
export { ProxyFetchBenchDO } from "./proxy-fetch";
export { CloneBenchDO } from "./structured-clone";
// proxy-fetch's own classes, bound as FETCH_ORCHESTRATOR and FETCH_EXECUTOR in bench/wrangler.jsonc.
export { FetchExecutor, FetchOrchestrator } from "../../lib";

/** What the client posts to `/batch`. */
interface BatchPost extends BatchRequest {
  readonly binding: keyof BenchEnv;
  readonly instance: string;
}

type Controller = { runBatch(request: BatchRequest): Promise<unknown> };

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    try {
      if (request.method === "POST" && url.pathname === "/batch") {
        const { binding, instance, method, size, params } = (await request.json()) as BatchPost;
        const stub = controller(env, binding, instance) as unknown as Controller;
        return Response.json(await stub.runBatch({ method, size, params }));
      }
      if (url.pathname === "/ping") return new Response("ok");
      if (url.pathname === "/payload-sizes") return Response.json(await env.CLONE_BENCH.getByName("sizes").sizes());
      return new Response(`No bench route at ${url.pathname}: POST /batch.`, { status: 404 });
    } catch (error) {
      return Response.json({ error: String((error as Error)?.stack ?? error) }, { status: 500 });
    }
  },
} satisfies ExportedHandler<BenchEnv>;

function controller(env: BenchEnv, binding: keyof BenchEnv, instance: string): DurableObjectStub {
  const namespace = env[binding] as unknown as DurableObjectNamespace | undefined;
  if (typeof namespace?.getByName !== "function") throw new TypeError(`Unknown controller binding "${binding}": see bench/wrangler.jsonc.`);
  return namespace.getByName(instance);
}
