/**
 * The examples Worker with one route more, `GET /error-names`, for the
 * minified-bundle check (scripts/minified-check.mjs), which bundles this file
 * with wrangler's esbuild, minified and without `keepNames`, and runs it
 * under workerd. The route makes a TimeoutError and a CallError happen inside
 * a Durable Object and reports the names they arrive under, next to the
 * names the minifier gave the classes themselves.
 */
import { CallError, TimeoutError } from "lumenize-do";

export * from "../../examples/index";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== "/error-names") return new Response("Not found: the minified check asks for /error-names.", { status: 404 });
    const user = env.IMPATIENT_USER.getByName(`minified-${crypto.randomUUID()}`);
    // A TimeoutError made by `call` in ImpatientUserDO and delivered to its continuation.
    await user.peekWithin(20, 2_000);
    let timeoutError: unknown;
    for (let tries = 0; tries < 250 && timeoutError === undefined; tries++) {
      await scheduler.wait(20);
      timeoutError = await user.lastPeek();
    }
    // A CallError thrown at the call site inside the Durable Object, arriving here over RPC.
    let callError: unknown;
    try {
      await user.peekWithin(-1, 0);
    } catch (error) {
      callError = (error as Error).name;
    }
    return Response.json({ timeoutError, callError, classNames: [TimeoutError.name, CallError.name] });
  },
} satisfies ExportedHandler<Env>;
