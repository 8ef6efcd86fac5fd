/**
 * The HTTP face of a bench Worker, which `bench/harness.mjs` drives:
 *
 * - `POST /batch` with `{ binding, instance, method, size, batches?, params }`
 *   runs that many batches on the named ExperimentController and answers
 *   with their BatchResult;
 * - `GET <route>` answers with the JSON of one of the Worker's `info` routes
 *   (an experiment's `info` in `bench/experiments.mjs`);
 * - `GET /ping` answers "ok".
 */
import type { BatchRequest } from "./controller";

/** What the client posts to `/batch`. */
interface BatchPost extends BatchRequest {
  readonly binding: string;
  readonly instance: string;
}

type Controller = { runBatch(request: BatchRequest): Promise<unknown> };

/** The Worker's default export, given its informational routes. */
export function benchHandler<Env>(info: Readonly<Record<string, (env: Env) => Promise<unknown>>>): ExportedHandler<Env> {
  return {
    async fetch(request: Request, env: Env): Promise<Response> {
      const url = new URL(request.url);
      try {
        if (request.method === "POST" && url.pathname === "/batch") {
          const { binding, instance, method, size, batches, params } = (await request.json()) as BatchPost;
          const stub = controller(env, binding, instance) as unknown as Controller;
          return Response.json(await stub.runBatch({ method, size, batches, params }));
        }
        if (url.pathname === "/ping") return new Response("ok");
        const route = Object.hasOwn(info, url.pathname) ? info[url.pathname] : undefined;
        if (route !== undefined) return Response.json(await route(env));
        return new Response(`No bench route at ${url.pathname}: POST /batch, or GET ${Object.keys(info).join(", ")}.`, { status: 404 });
      } catch (error) {
        return Response.json({ error: String((error as Error)?.stack ?? error) }, { status: 500 });
      }
    },
  };
}

function controller(env: unknown, binding: string, instance: string): DurableObjectStub {
  const namespace = (env as Record<string, DurableObjectNamespace | undefined>)[binding];
  if (typeof namespace?.getByName !== "function") throw new TypeError(`Unknown controller binding "${binding}": see the Worker's wrangler.jsonc.`);
  return namespace.getByName(instance);
}
